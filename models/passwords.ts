import { hash, verify, type Options } from "@node-rs/argon2";

// OWASP's argon2id minimum: 19 MiB, two passes, one lane. The library's Algorithm is a
// const enum (unusable under isolatedModules); 2 is its Argon2id, checked by a unit test.
const ARGON2ID = 2 as NonNullable<Options["algorithm"]>;
const options: Options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 200;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when the email is unknown keeps the response time the same,
// so timing does not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;
export async function burnVerifyTime(password: string) {
  dummyHash ??= hashPassword("hearth-dummy-password");
  await verifyPassword(await dummyHash, password);
}
