import { and, desc, eq } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { accounts, people, sensitiveViews } from "../db/schema";

export const SENSITIVE_KINDS = ["needs", "topic"] as const;
export type SensitiveKind = (typeof SENSITIVE_KINDS)[number];

/** The pages (and API reads) that show needs or topics to someone other than the person. */
export type SensitivePage = "attendees" | "attendees_csv" | "checkin" | "person" | "person_data" | "care" | "consultations_day" | "provider";

/**
 * Records that `viewerAccountId` was shown these people's needs or topics on `page`: one
 * compact row per person, all in one insert per page view (ADR 22). A person viewing their own
 * details is not recorded. Call it from the loader that returns the sensitive text.
 */
export async function recordSensitiveViews(
  db: DbOrTx,
  view: { stationId: number; viewerAccountId: number; viewerPersonId: number; page: SensitivePage; kind: SensitiveKind },
  personIds: readonly number[],
): Promise<number> {
  const shown = [...new Set(personIds)].filter((id) => id !== view.viewerPersonId);
  if (!shown.length) return 0;
  await db
    .insert(sensitiveViews)
    .values(
      shown.map((personId) => ({ stationId: view.stationId, viewerAccountId: view.viewerAccountId, personId, kind: view.kind, page: view.page })),
    );
  return shown.length;
}

export interface AccessRecord {
  viewer: string | null;
  kind: SensitiveKind;
  page: string;
  at: Date;
}

/** Who saw a person's needs or topics, newest first (their 我的数据 lists them). */
export async function accessRecordsOf(db: DbOrTx, stationId: number, personId: number, limit = 500): Promise<AccessRecord[]> {
  const rows = await db
    .select({ viewer: people.fullName, kind: sensitiveViews.kind, page: sensitiveViews.page, at: sensitiveViews.at })
    .from(sensitiveViews)
    .leftJoin(accounts, eq(accounts.id, sensitiveViews.viewerAccountId))
    .leftJoin(people, eq(people.id, accounts.personId))
    .where(and(eq(sensitiveViews.stationId, stationId), eq(sensitiveViews.personId, personId)))
    .orderBy(desc(sensitiveViews.at), desc(sensitiveViews.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, kind: r.kind as SensitiveKind }));
}
