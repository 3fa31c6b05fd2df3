// The route guard matrix's vocabulary (tests/integration/routes-guard.test.ts), shared with the
// feature tables in tests/integration/guard-tables/*.ts: each feature lists its routes there,
// and the matrix calls every entry as every kind of viewer.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "../../models/db";
import type { Role } from "../../models/auth";
import type { Form, TableName } from "./routes-kit";

export type GuardViewer = "anonymous" | Role;
export type PolicyName = "public" | "signed-in" | "staff" | "admin" | "desk";

export interface Fixture {
  activityId: number;
  sessionId: number;
  categoryId: number;
  /** A session open for signups that the matrix does not move or edit. */
  signupSessionId: number;
  /** A resident without an account (booked for by others). */
  personId: number;
  /** Ids a feature table's prepare() made (a need, an assignment …), by its own names. */
  extra: Record<string, number>;
}

export interface Entry {
  route: string;
  kind: "loader" | "action";
  policy: PolicyName;
  path: (fx: Fixture) => string;
  params?: (fx: Fixture) => Record<string, string>;
  /** Actions: a payload the handler accepts, so an allowed viewer gets past validation. */
  form?: (fx: Fixture) => Form;
  /** What a viewer the policy lets in gets back. */
  ok: (fx: Fixture, signedIn: boolean) => { status: number; location?: string | RegExp };
  /** How a signed-in viewer outside the policy is refused, when not the usual 403. */
  refused?: { status: number; body: unknown };
  /** The guard's 403 names the roles that may; when they are not the entry's policy's, by viewer. */
  refusedRoles?: (viewer: GuardViewer | "noRole" | "adminElsewhere") => readonly Role[];
  /** An allowed action that, with this form, is refused by validation and writes nothing. */
  writesNothing?: true;
}

export const page =
  (status = 200) =>
  () => ({ status });
export const goes =
  (location: string | RegExp, status = 302) =>
  () => ({ status, location });

export interface GuardPart {
  /** Route file (without extension) -> its module, as in the matrix's own list. */
  modules: Record<string, Record<string, unknown>>;
  entries: Entry[];
  /** Tables the feature's actions write, watched for "nothing written". */
  watched?: TableName[];
  /** Makes the feature's fixtures once per backend, after the matrix's own. */
  prepare?: (
    db: Db,
    fx: Fixture,
    context: { stationId: number; accounts: Record<GuardViewer, { accountId: number; token?: string }> },
  ) => Promise<void>;
}

export async function loadGuardParts(): Promise<GuardPart[]> {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../integration/guard-tables");
  if (!fs.existsSync(dir)) return [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort();
  return Promise.all(files.map(async (f) => ((await import(path.join(dir, f))) as { part: GuardPart }).part));
}
