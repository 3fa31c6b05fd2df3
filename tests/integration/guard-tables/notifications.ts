// The mail pages in the route guard matrix: the admin's mail overview, retry and outbox are
// admin-only; the unsubscribe page and its one-click URL are public (the secret token is the credential).
import { notifications } from "../../../models/db/schema";
import { goes, page, type GuardPart } from "../../support/guard-kit";
import * as mailAdmin from "../../../app/routes/manage.mail";
import * as outbox from "../../../app/routes/manage.outbox";
import * as outboxMessage from "../../../app/routes/manage.outbox_.$id";
import * as outboxEml from "../../../app/routes/manage.outbox.$id[.]eml";
import * as unsubscribePage from "../../../app/routes/unsubscribe.$token";
import * as unsubscribeOneClick from "../../../app/routes/unsubscribe.$token.one-click";

// Each backend has its own database, so one fixed token serves both.
export const GUARD_UNSUBSCRIBE_TOKEN = "guardunsubscribe0000000000000001";

export const part: GuardPart = {
  modules: {
    "manage.mail": mailAdmin,
    "manage.outbox": outbox,
    "manage.outbox_.$id": outboxMessage,
    "manage.outbox.$id[.]eml": outboxEml,
    "unsubscribe.$token": unsubscribePage,
    "unsubscribe.$token.one-click": unsubscribeOneClick,
  },
  watched: ["notifications", "people"],
  entries: [
    { route: "manage.mail", kind: "loader", policy: "admin", path: () => "/manage/mail", ok: page() },
    // A failed mail, retried once by the one admin the matrix lets in: writes its audit row.
    {
      route: "manage.mail",
      kind: "action",
      policy: "admin",
      path: () => "/manage/mail",
      form: (fx) => ({ intent: "retry", id: String(fx.extra.failedMailId) }),
      ok: page(),
    },
    { route: "manage.outbox", kind: "loader", policy: "admin", path: () => "/manage/outbox", ok: page() },
    // The row is the station's but no .eml was written for it (the matrix writes no files): 404
    // past the guard. Reading real files is tested in notifications-admin.test.ts.
    {
      route: "manage.outbox_.$id",
      kind: "loader",
      policy: "admin",
      path: (fx) => `/manage/outbox/${fx.extra.outboxMailId}`,
      params: (fx) => ({ id: String(fx.extra.outboxMailId) }),
      ok: page(404),
    },
    {
      route: "manage.outbox.$id[.]eml",
      kind: "loader",
      policy: "admin",
      path: (fx) => `/manage/outbox/${fx.extra.outboxMailId}.eml`,
      params: (fx) => ({ id: String(fx.extra.outboxMailId) }),
      ok: page(404),
    },
    {
      route: "unsubscribe.$token",
      kind: "loader",
      policy: "public",
      path: () => `/unsubscribe/${GUARD_UNSUBSCRIBE_TOKEN}`,
      params: () => ({ token: GUARD_UNSUBSCRIBE_TOKEN }),
      ok: page(),
    },
    // No cookie needed: everyone who holds the link may use it, and again (idempotent).
    {
      route: "unsubscribe.$token",
      kind: "action",
      policy: "public",
      path: () => `/unsubscribe/${GUARD_UNSUBSCRIBE_TOKEN}`,
      params: () => ({ token: GUARD_UNSUBSCRIBE_TOKEN }),
      form: () => ({ intent: "unsubscribe" }),
      ok: page(),
    },
    // Opening the one-click URL only leads to the page that asks.
    {
      route: "unsubscribe.$token.one-click",
      kind: "loader",
      policy: "public",
      path: () => `/unsubscribe/${GUARD_UNSUBSCRIBE_TOKEN}/one-click`,
      params: () => ({ token: GUARD_UNSUBSCRIBE_TOKEN }),
      ok: goes(`/unsubscribe/${GUARD_UNSUBSCRIBE_TOKEN}`),
    },
    // RFC 8058: the mail program's POST carries no cookie.
    {
      route: "unsubscribe.$token.one-click",
      kind: "action",
      policy: "public",
      path: () => `/unsubscribe/${GUARD_UNSUBSCRIBE_TOKEN}/one-click`,
      params: () => ({ token: GUARD_UNSUBSCRIBE_TOKEN }),
      form: () => ({ "List-Unsubscribe": "One-Click" }),
      ok: page(),
    },
  ],
  async prepare(db, fx, { stationId }) {
    const soon = new Date(Date.now() - 3600_000);
    const later = new Date(Date.now() + 30 * 24 * 3600_000);
    const rows = await db
      .insert(notifications)
      .values([
        {
          stationId,
          kind: "reminder",
          dedupeKey: "guard:failed",
          personId: fx.personId,
          dueAt: soon,
          expiresAt: later,
          status: "failed",
          attempts: 5,
          lastError: "connection refused",
          unsubscribeToken: GUARD_UNSUBSCRIBE_TOKEN,
        },
        // An id no outbox file in any DATA_DIR is named after, so the 404 never depends on the disk.
        {
          id: 2_000_000_001,
          stationId,
          kind: "signup_confirmed",
          dedupeKey: "guard:outbox",
          personId: fx.personId,
          dueAt: soon,
          expiresAt: later,
          status: "sent",
          sentAt: soon,
          transport: "outbox",
          recipient: "guard@test.example",
          subject: "报名成功",
        },
      ])
      .returning({ id: notifications.id });
    fx.extra.failedMailId = rows[0]!.id;
    fx.extra.outboxMailId = rows[1]!.id;
  },
};
