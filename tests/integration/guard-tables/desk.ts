// The front desk in the route guard matrix: the check-in sheet (staff and the session's desk
// volunteer), the QR landing (any signed-in account; staff check in), the tally (staff and
// volunteers) and the monthly figures (staff).
import { eq } from "drizzle-orm";
import { page, type GuardPart } from "../../support/guard-kit";
import { rosterOnDesk } from "../../support/desk-fixtures";
import { makeSession } from "../../support/signup-fixtures";
import { accounts } from "../../../models/db/schema";
import * as sheet from "../../../app/routes/manage.sessions.$id_.checkin/route";
import * as byCode from "../../../app/routes/checkin.$sessionId.$code";
import * as desk from "../../../app/routes/desk/route";
import * as reports from "../../../app/routes/manage.reports/route";
import * as serviceLines from "../../../app/routes/manage.service-lines";
import * as reportCsv from "../../../app/routes/manage.reports[.]csv";
import * as reportJson from "../../../app/routes/manage.reports[.]json";

// A code that cannot be valid: every signed-in viewer gets the same 404, staff or not.
const BAD_CODE = "1-AAAAAAAAAAAAAAAAAAAAAA";

export const part: GuardPart = {
  modules: {
    "manage.sessions.$id_.checkin": sheet,
    "checkin.$sessionId.$code": byCode,
    desk,
    "manage.reports": reports,
    "manage.service-lines": serviceLines,
    "manage.reports[.]csv": reportCsv,
    "manage.reports[.]json": reportJson,
  },
  watched: ["signups"],
  // The matrix's volunteer is rostered on the registration desk of a session of its own, a month
  // away (nobody is in two places at once: the matrix's other sessions are theirs to book).
  prepare: async (db, fx, { stationId, accounts: viewers }) => {
    const [volunteer] = await db.select({ personId: accounts.personId }).from(accounts).where(eq(accounts.id, viewers.volunteer.accountId));
    fx.extra.deskSessionId = (await makeSession(db, stationId, { capacity: 10, daysAhead: 30 })).sessionId;
    await rosterOnDesk(db, stationId, fx.extra.deskSessionId, volunteer!.personId);
  },
  entries: [
    {
      route: "manage.sessions.$id_.checkin",
      kind: "loader",
      policy: "desk",
      path: (fx) => `/manage/sessions/${fx.extra.deskSessionId}/checkin`,
      params: (fx) => ({ id: String(fx.extra.deskSessionId) }),
      ok: page(),
    },
    {
      // The session is days away: check-in is not open yet (409 in words), nothing written.
      route: "manage.sessions.$id_.checkin",
      kind: "action",
      policy: "desk",
      path: (fx) => `/manage/sessions/${fx.extra.deskSessionId}/checkin`,
      params: (fx) => ({ id: String(fx.extra.deskSessionId) }),
      form: (fx) => ({ intent: "checkin", personId: String(fx.personId) }),
      ok: page(409),
      writesNothing: true,
    },
    {
      route: "checkin.$sessionId.$code",
      kind: "loader",
      policy: "signed-in",
      path: (fx) => `/checkin/${fx.sessionId}/${BAD_CODE}`,
      params: (fx) => ({ sessionId: String(fx.sessionId), code: BAD_CODE }),
      ok: page(404),
    },
    {
      route: "checkin.$sessionId.$code",
      kind: "action",
      policy: "staff",
      path: (fx) => `/checkin/${fx.sessionId}/${BAD_CODE}`,
      params: (fx) => ({ sessionId: String(fx.sessionId), code: BAD_CODE }),
      form: (fx) => ({ personId: String(fx.personId) }),
      ok: page(409),
      writesNothing: true,
    },
    { route: "desk", kind: "loader", policy: "desk", path: () => "/desk", ok: page() },
    {
      route: "desk",
      kind: "action",
      policy: "desk",
      path: () => "/desk",
      form: () => ({ intent: "tally", serviceLineId: "1", count: "0" }),
      ok: page(400),
      writesNothing: true,
    },
    { route: "manage.reports", kind: "loader", policy: "staff", path: () => "/manage/reports", ok: page() },
    { route: "manage.reports[.]csv", kind: "loader", policy: "staff", path: () => "/manage/reports.csv", ok: page() },
    { route: "manage.reports[.]json", kind: "loader", policy: "staff", path: () => "/manage/reports.json", ok: page() },
    { route: "manage.service-lines", kind: "loader", policy: "admin", path: () => "/manage/service-lines", ok: page() },
    {
      route: "manage.service-lines",
      kind: "action",
      policy: "admin",
      path: () => "/manage/service-lines",
      form: () => ({ intent: "create", nameZh: "量体温", nameEn: "Temperature", reportingLine: "健康监测" }),
      ok: page(),
    },
  ],
};
