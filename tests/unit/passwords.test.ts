import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../models/passwords";

// hashPassword passes the numeric constant 2 as the algorithm (the library's Algorithm is a
// const enum). The PHC string names the algorithm that was really used, so checking its
// prefix proves both the parameters and that 2 means Argon2id.
const PHC = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

describe("passwords", () => {
  it("hashes with argon2id, m=19456, t=2, p=1, as a PHC string", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$")).toBe(true);
    const match = PHC.exec(hash);
    expect(match).not.toBeNull();
    const [, algorithm, version, m, t, p, salt, digest] = match!;
    expect(algorithm).toBe("argon2id");
    expect(version).toBe("19");
    expect([Number(m), Number(t), Number(p)]).toEqual([19456, 2, 1]);
    // A real salt (>= 16 bytes, base64 without padding) and a 32-byte digest.
    expect(Buffer.from(salt!, "base64").length).toBeGreaterThanOrEqual(16);
    expect(Buffer.from(digest!, "base64").length).toBe(32);
    // The password never appears in the stored form.
    expect(hash).not.toContain("correct horse battery");
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("密码 correct horse");
    await expect(verifyPassword(hash, "密码 correct horse")).resolves.toBe(true);
    await expect(verifyPassword(hash, "密码 correct hors")).resolves.toBe(false);
    await expect(verifyPassword(hash, "密码 correct horse ")).resolves.toBe(false);
    await expect(verifyPassword(hash, "")).resolves.toBe(false);
  });

  it("returns false (does not throw) for a garbage or truncated hash", async () => {
    await expect(verifyPassword("not a hash at all", "whatever")).resolves.toBe(false);
    await expect(verifyPassword("", "whatever")).resolves.toBe(false);
    await expect(verifyPassword("$argon2id$v=19$m=19456,t=2,p=1$", "whatever")).resolves.toBe(false);
    const hash = await hashPassword("whatever");
    await expect(verifyPassword(hash.slice(0, -10), "whatever")).resolves.toBe(false);
  });

  it("salts: two hashes of the same password differ and both verify", async () => {
    const [a, b] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(a).not.toBe(b);
    expect(a.split("$")[4]).not.toBe(b.split("$")[4]); // the salt segment
    await expect(verifyPassword(a, "same password")).resolves.toBe(true);
    await expect(verifyPassword(b, "same password")).resolves.toBe(true);
  });
});
