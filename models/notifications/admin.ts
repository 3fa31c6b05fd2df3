import fs from "node:fs/promises";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { simpleParser } from "mailparser";
import type { Config } from "../config";
import type { Db } from "../db";
import { notificationStatusEnum, notifications, type NotificationKind } from "../db/schema";
import { recordAudit } from "../audit";
import { DomainError, NotFound } from "../errors";
import { outboxFile } from "./outbox";

export const NOTIFICATION_STATUSES = notificationStatusEnum.enumValues;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** A pending mail this long past its due time means the worker is behind or not running. */
export const DUE_GRACE_MS = 5 * 60_000;

/** Only a failed mail can be sent again. */
export class NotificationNotFailed extends DomainError {
  constructor() {
    super("notification_not_failed", 409);
  }
}

/** A mail past its use (a reminder after the start) is not sent again. */
export class NotificationExpired extends DomainError {
  constructor() {
    super("notification_expired", 409);
  }
}

export interface NotificationCounts {
  pending: number;
  dueUnsent: number;
  sent: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

export async function notificationCounts(db: Db, stationId: number, now = new Date()): Promise<NotificationCounts> {
  const late = new Date(now.getTime() - DUE_GRACE_MS);
  const count = (status: NotificationStatus) => sql<number>`count(*) filter (where ${notifications.status} = ${status})::int`;
  const [row] = await db
    .select({
      pending: count("pending"),
      dueUnsent: sql<number>`count(*) filter (where ${notifications.status} = 'pending' and ${notifications.dueAt} < ${late})::int`,
      sent: count("sent"),
      failed: count("failed"),
      skipped: count("skipped"),
      cancelled: count("cancelled"),
    })
    .from(notifications)
    .where(eq(notifications.stationId, stationId));
  return row!;
}

// The admin list's columns: never the payload (it may name a session's old time and place for
// a person) and never anything from people.needs.
const listColumns = {
  id: notifications.id,
  kind: notifications.kind,
  status: notifications.status,
  dueAt: notifications.dueAt,
  sentAt: notifications.sentAt,
  attempts: notifications.attempts,
  lastError: notifications.lastError,
  recipient: notifications.recipient,
  subject: notifications.subject,
  transport: notifications.transport,
};

export type NotificationRow = {
  id: number;
  kind: NotificationKind;
  status: NotificationStatus;
  dueAt: Date;
  sentAt: Date | null;
  attempts: number;
  lastError: string | null;
  recipient: string | null;
  subject: string | null;
  transport: string | null;
};

/** Newest first; `before` is the id of the last row already shown (keyset paging). */
export async function listNotifications(
  db: Db,
  stationId: number,
  options: { status?: NotificationStatus; limit: number; before?: number },
): Promise<NotificationRow[]> {
  return db
    .select(listColumns)
    .from(notifications)
    .where(
      and(
        eq(notifications.stationId, stationId),
        options.status ? eq(notifications.status, options.status) : undefined,
        options.before ? lt(notifications.id, options.before) : undefined,
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(Math.max(1, Math.min(options.limit, 500)));
}

/**
 * Sends a failed mail again: back to pending, due now, with a fresh count of attempts, so the
 * worker picks it up on its next poll. Refused once the mail is of no use any more.
 */
export async function retryNotification(db: Db, ctx: { stationId: number; actorAccountId: number }, id: number, now = new Date()) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: notifications.status, expiresAt: notifications.expiresAt })
      .from(notifications)
      .where(and(eq(notifications.id, id), eq(notifications.stationId, ctx.stationId)))
      .for("update");
    if (!row) throw new NotFound("notification");
    if (row.status !== "failed") throw new NotificationNotFailed();
    if (row.expiresAt.getTime() <= now.getTime()) throw new NotificationExpired();
    await tx
      .update(notifications)
      .set({ status: "pending", dueAt: now, attempts: 0, claimedUntil: null, updatedAt: now })
      .where(eq(notifications.id, id));
    await recordAudit(tx, {
      stationId: ctx.stationId,
      actorAccountId: ctx.actorAccountId,
      action: "notification.retry",
      targetType: "notification",
      targetId: id,
    });
    return { id };
  });
}

export interface OutboxItem {
  id: number;
  kind: NotificationKind;
  status: NotificationStatus;
  sentAt: Date | null;
  createdAt: Date;
  recipient: string | null;
  subject: string | null;
  fileExists: boolean;
}

const fileExists = (path: string) =>
  fs.stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/** The mails written to the outbox directory (no SMTP configured), newest first. */
export async function listOutbox(db: Db, config: Pick<Config, "dataDir">, stationId: number, limit = 200): Promise<OutboxItem[]> {
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      status: notifications.status,
      sentAt: notifications.sentAt,
      createdAt: notifications.createdAt,
      recipient: notifications.recipient,
      subject: notifications.subject,
    })
    .from(notifications)
    .where(and(eq(notifications.stationId, stationId), eq(notifications.transport, "outbox")))
    .orderBy(sql`${notifications.sentAt} desc nulls last`, desc(notifications.id))
    .limit(limit);
  return Promise.all(rows.map(async (r) => ({ ...r, fileExists: await fileExists(outboxFile(config, r.id)) })));
}

/** The .eml file of a station's outbox mail, or undefined (another station's, not in the outbox, or gone). */
export async function readOutboxRaw(db: Db, config: Pick<Config, "dataDir">, stationId: number, id: number): Promise<Buffer | undefined> {
  const [row] = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.stationId, stationId), eq(notifications.transport, "outbox")));
  if (!row) return undefined;
  try {
    return await fs.readFile(outboxFile(config, id));
  } catch {
    return undefined;
  }
}

export interface OutboxMessage {
  id: number;
  from: string;
  to: string;
  subject: string;
  messageId: string;
  listUnsubscribe: string;
  listUnsubscribePost: string;
  date: Date | null;
  text: string;
  calendar: string | null;
}

/** One outbox mail, parsed for reading: headers as written, the text part and the .ics part as text. */
export async function readOutboxMessage(db: Db, config: Pick<Config, "dataDir">, stationId: number, id: number): Promise<OutboxMessage | undefined> {
  const raw = await readOutboxRaw(db, config, stationId, id);
  if (!raw) return undefined;
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextLinks: true, skipImageLinks: true });
  // The header lines as written (mailparser turns List-* headers into objects); folded lines unfolded.
  const header = (name: string) => {
    const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line ?? "";
    return line
      .slice(line.indexOf(":") + 1)
      .replace(/\r?\n[ \t]+/g, " ")
      .trim();
  };
  const ics = mail.attachments.find((a) => a.contentType.startsWith("text/calendar") || a.filename?.toLowerCase().endsWith(".ics"));
  return {
    id,
    from: mail.from?.text ?? header("From"),
    to:
      [mail.to ?? []]
        .flat()
        .map((a) => a.text)
        .join(", ") || header("To"),
    subject: mail.subject ?? "",
    messageId: mail.messageId ?? header("Message-ID"),
    listUnsubscribe: header("List-Unsubscribe"),
    listUnsubscribePost: header("List-Unsubscribe-Post"),
    date: mail.date ?? null,
    text: mail.text ?? "",
    calendar: ics ? ics.content.toString("utf8") : null,
  };
}
