import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db";
import { notifications } from "../db/schema";
import { getConfig, type Config } from "../config";
import { runDueRetention } from "../privacy/retention";
import { expireHolds } from "../consultations/waitlist";
import { consentSkip } from "../privacy/mail-consent";
import { describeError, isDatabaseUnavailable } from "../db/errors";
import { resolveRecipient } from "./recipients";
import { mailSettings, renderNotification, type MailSettings, type NotificationRow } from "./render";
import type { MailTransport } from "./transport";

export interface RunOptions {
  transport: MailTransport;
  /** The clock, for tests that drive retries and expiry without sleeping. */
  now?: Date;
  batchSize?: number;
  /**
   * How long a claim holds a row without a heartbeat. The worker renews its claim every third
   * of it while it sends, so a batch may run longer; a worker that died stops renewing, and its
   * rows are free again within one lease (a minute by default), not after the whole batch.
   */
  leaseSeconds?: number;
  settings?: MailSettings;
}

export interface RunResult {
  claimed: number;
  sent: number;
  failed: number;
  skipped: number;
  retried: number;
}

export const MAX_ATTEMPTS = 8;
const DEFAULT_BATCH = 50;
export const DEFAULT_LEASE_SECONDS = 60;

/** Minutes to wait after the n-th failed attempt: 2, 4, 8 … up to an hour. */
export const backoffMinutes = (attempts: number) => Math.min(2 ** attempts, 60);

/**
 * One pass: claim up to batchSize due rows and deliver them one by one. The claim is one
 * statement (SKIP LOCKED + a lease), so concurrent workers take disjoint rows; each row is
 * marked the moment its send returns, so a kill loses at most the message in flight, which
 * the next claim after the lease sends again (at-least-once, same Message-ID). While the batch
 * runs, a heartbeat pushes the lease of the rows still to send forward (renewClaim); a dead
 * worker's rows are thus free one lease after its last heartbeat.
 */
export async function runOnce(db: Db, options: RunOptions): Promise<RunResult> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const leaseMs = (options.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000;
  const settings = options.settings ?? mailSettings(getConfig());
  const result: RunResult = { claimed: 0, sent: 0, failed: 0, skipped: 0, retried: 0 };

  const due = sql`(
    SELECT ${notifications.id} FROM ${notifications}
    WHERE ${notifications.status} = 'pending' AND ${notifications.dueAt} <= ${now}
      AND (${notifications.claimedUntil} IS NULL OR ${notifications.claimedUntil} < ${now})
    ORDER BY ${notifications.dueAt}
    LIMIT ${batchSize}
    FOR UPDATE SKIP LOCKED)`;
  const claimed = await db
    .update(notifications)
    .set({ claimedUntil: new Date(now.getTime() + leaseMs), attempts: sql`${notifications.attempts} + 1`, updatedAt: now })
    .where(inArray(notifications.id, due))
    .returning();
  claimed.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
  result.claimed = claimed.length;

  // Wall time, not `now` (tests drive `now`): the claim is ours until `heldUntil`, pushed on
  // by each heartbeat. Should heartbeats fail (the database away), the batch stops before the
  // lease could run out and hands the rest back, rather than race a second worker for them.
  const startedAt = Date.now();
  const claim = { ids: new Set(claimed.map((r) => r.id)), until: new Date(now.getTime() + leaseMs), heldUntil: startedAt + leaseMs };
  const beat = setInterval(() => void renewClaim(db, claim, now, startedAt, leaseMs), Math.max(leaseMs / 3, 10));
  try {
    for (const [index, row] of claimed.entries()) {
      if (Date.now() > claim.heldUntil - leaseMs * 0.2) {
        await release(
          db,
          claimed.slice(index).map((r) => r.id),
        );
        break;
      }
      const outcome = await deliver(db, row, now, settings, options.transport);
      claim.ids.delete(row.id);
      result[outcome]++;
    }
  } finally {
    clearInterval(beat);
  }
  return result;
}

/**
 * The heartbeat: extends the lease of the rows this pass still holds. The claim's own
 * `claimed_until` is the fencing token — a row whose lease another worker has since taken over
 * carries another value and is left alone.
 */
async function renewClaim(
  db: Db,
  claim: { ids: Set<number>; until: Date; heldUntil: number; renewing?: boolean },
  now: Date,
  startedAt: number,
  leaseMs: number,
) {
  // One renewal at a time: two in flight would each fence on the same old value.
  if (claim.ids.size === 0 || claim.renewing) return;
  claim.renewing = true;
  const wall = Date.now();
  const until = new Date(now.getTime() + (wall - startedAt) + leaseMs);
  try {
    const renewed = await db
      .update(notifications)
      .set({ claimedUntil: until })
      .where(and(inArray(notifications.id, [...claim.ids]), eq(notifications.status, "pending"), eq(notifications.claimedUntil, claim.until)))
      .returning({ id: notifications.id });
    if (renewed.length > 0) {
      claim.until = until;
      claim.heldUntil = wall + leaseMs;
    }
  } catch {
    // Not renewed: heldUntil stays, and the batch stops in time on its own.
  } finally {
    claim.renewing = false;
  }
}

/** Hands unstarted rows back (and takes back their attempt) when the lease runs short. */
async function release(db: Db, ids: number[]) {
  if (ids.length === 0) return;
  await db
    .update(notifications)
    .set({ claimedUntil: null, attempts: sql`greatest(${notifications.attempts} - 1, 0)` })
    .where(and(inArray(notifications.id, ids), eq(notifications.status, "pending")));
}

type Outcome = "sent" | "failed" | "skipped" | "retried";

/**
 * Records the outcome, if the row is still ours to decide: a row cancelled meanwhile (its
 * signup withdrawn) keeps 'cancelled' — unless it was in fact sent, which the record must say.
 */
async function finish(db: Db, id: number, set: Partial<typeof notifications.$inferInsert>, now: Date) {
  const open = set.status === "sent" ? inArray(notifications.status, ["pending", "cancelled"]) : eq(notifications.status, "pending");
  await db
    .update(notifications)
    .set({ ...set, claimedUntil: null, updatedAt: now })
    .where(and(eq(notifications.id, id), open));
}

async function deliver(db: Db, row: NotificationRow, now: Date, settings: MailSettings, transport: MailTransport): Promise<Outcome> {
  if (now >= row.expiresAt) {
    await finish(db, row.id, { status: "failed", lastError: "expired" }, now);
    return "failed";
  }
  let rendered;
  let recipient;
  try {
    const decision = await resolveRecipient(db, { kind: row.kind, personId: row.personId, signupId: row.signupId });
    if (!decision.ok) {
      await finish(db, row.id, { status: "skipped", lastError: decision.reason }, now);
      return "skipped";
    }
    recipient = decision.recipient;
    // A consent withdrawn since the row was written: not sent, and the row says why.
    const withdrawn = await consentSkip(db, { kind: row.kind, subjectId: row.personId, recipientId: recipient.personId });
    if (withdrawn) {
      await finish(db, row.id, { status: "skipped", lastError: withdrawn }, now);
      return "skipped";
    }
    rendered = await renderNotification({ db, row, recipient, settings });
  } catch (error) {
    // The database out of reach or too slow (a full pool, statement_timeout) is a fault of the
    // moment: try again later like a refused send. Anything else will not render on retry
    // either: fail it visibly.
    if (isDatabaseUnavailable(error)) return retryLater(db, row, now, error);
    await finish(db, row.id, { status: "failed", lastError: `render_failed: ${errorText(error)}` }, now);
    return "failed";
  }
  if ("unsupported" in rendered) {
    await finish(db, row.id, { status: "failed", lastError: "unsupported_kind" }, now);
    return "failed";
  }
  if ("skip" in rendered) {
    await finish(db, row.id, { status: "skipped", lastError: rendered.skip }, now);
    return "skipped";
  }
  const mail = rendered.mail;
  try {
    await transport.send(
      {
        from: settings.from,
        to: { name: recipient.name, address: recipient.address },
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.headers["Message-ID"],
        // "prepared": written as given, on one line each (nodemailer would fold a long
        // List-Unsubscribe, which some receivers then fail to read as RFC 8058 one-click).
        headers: {
          "List-Unsubscribe": { prepared: true, value: mail.headers["List-Unsubscribe"]! },
          "List-Unsubscribe-Post": { prepared: true, value: mail.headers["List-Unsubscribe-Post"]! },
        },
        ...(mail.icalEvent ? { icalEvent: { method: mail.icalEvent.method, content: mail.icalEvent.content } } : {}),
        ...(mail.images?.length ? { attachments: mail.images.map((image) => ({ ...image, contentDisposition: "inline" as const })) } : {}),
      },
      { notificationId: row.id },
    );
  } catch (error) {
    return retryLater(db, row, now, error);
  }
  await finish(
    db,
    row.id,
    {
      status: "sent",
      sentAt: now,
      recipient: recipient.address,
      recipientPersonId: recipient.personId,
      subject: mail.subject,
      transport: transport.kind,
      lastError: null,
    },
    now,
  );
  return "sent";
}

/** Backs off after a passing fault, or gives up once the attempts or the expiry run out. */
async function retryLater(db: Db, row: NotificationRow, now: Date, error: unknown): Promise<Outcome> {
  const next = new Date(now.getTime() + backoffMinutes(row.attempts) * 60_000);
  const lastError = errorText(error);
  if (row.attempts >= MAX_ATTEMPTS || next > row.expiresAt) {
    await finish(db, row.id, { status: "failed", lastError }, now);
    return "failed";
  }
  await finish(db, row.id, { dueAt: next, lastError }, now);
  return "retried";
}

// What `last_error` keeps (admins read it on /manage/mail): never a statement, its parameters or a stack.
const errorText = (error: unknown) => describeError(error, { stack: false }).slice(0, 500);

export interface WorkerOptions extends Omit<RunOptions, "now"> {
  pollSeconds?: number;
  /** One line per batch with counts and ids only; console.log by default. */
  log?: (line: string) => void;
  /** Run the daily retention job (ADR 23) from this worker; on unless turned off. */
  retention?: boolean;
  /** Pass on waitlist holds that ran out (ADR 26); on unless turned off. */
  waitlistHolds?: boolean;
}

// How often a worker looks whether today's retention run is still to do: the run's claimed row
// makes a second look (or a second worker) harmless, this only saves the query.
const RETENTION_CHECK_MS = 10 * 60_000;

/**
 * Polls every pollSeconds (WORKER_POLL_SECONDS), and straight again while batches come back
 * full. Never runs two passes at once; stop() waits for the pass in progress.
 */
export function startWorker(
  db: Db,
  options: WorkerOptions,
  config: Pick<Config, "WORKER_POLL_SECONDS" | "WORKER_LEASE_SECONDS"> = getConfig(),
): { stop(): Promise<void> } {
  const pollMs = (options.pollSeconds ?? config.WORKER_POLL_SECONDS) * 1000;
  const leaseSeconds = options.leaseSeconds ?? config.WORKER_LEASE_SECONDS;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const log = options.log ?? ((line: string) => console.log(line));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let retentionCheckedAt = 0;

  const pass = async () => {
    timer = undefined;
    let full = true;
    while (full && !stopped) {
      try {
        const result = await runOnce(db, { ...options, batchSize, leaseSeconds });
        full = result.claimed >= batchSize;
        if (result.claimed > 0) {
          log(
            `[worker] batch claimed=${result.claimed} sent=${result.sent} retried=${result.retried} skipped=${result.skipped} failed=${result.failed}`,
          );
        }
      } catch (error) {
        // The database may be briefly away: try again at the next tick, do not die. By code, not
        // by drizzle's message (it repeats the whole query and its parameters).
        log(`[worker] pass failed: ${describeError(error, { stack: false }).slice(0, 300)}`);
        full = false;
      }
    }
    if (!stopped && options.waitlistHolds !== false) {
      try {
        // Before the next batch: a passed-on hold writes the next person's offer mail.
        const passed = await expireHolds(db);
        if (passed > 0) log(`[worker] waitlist holds passed=${passed}`);
      } catch (error) {
        log(`[worker] waitlist holds failed: ${describeError(error, { stack: false }).slice(0, 300)}`);
      }
    }
    if (!stopped && options.retention !== false && Date.now() - retentionCheckedAt >= RETENTION_CHECK_MS) {
      retentionCheckedAt = Date.now();
      try {
        for (const run of await runDueRetention(db)) {
          const c = run.counts;
          // A quiet day says nothing; the admin page lists every run.
          if (c.mailBodies + c.auditDetails + c.logins + c.walkInsAnonymised === 0) continue;
          log(
            `[worker] retention station=${run.stationId} mail=${c.mailBodies} audit=${c.auditDetails} logins=${c.logins} walk-ins=${c.walkInsAnonymised}`,
          );
        }
      } catch (error) {
        log(`[worker] retention failed: ${describeError(error, { stack: false }).slice(0, 300)}`);
      }
    }
    if (!stopped) timer = setTimeout(tick, pollMs);
  };
  const tick = () => {
    current = pass().finally(() => (current = undefined));
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
