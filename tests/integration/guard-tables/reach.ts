// Reaching people (ADR 20) in the route guard matrix: the station's call list and its
// not-reached report (staff), a caretaker's own call list (members and staff), and the
// station's phone and address (admins).
import { page, type GuardPart } from "../../support/guard-kit";
import * as manageCalls from "../../../app/routes/manage.calls";
import * as notReached from "../../../app/routes/manage.calls_.not-reached";
import * as careCalls from "../../../app/routes/care_.calls";
import * as station from "../../../app/routes/manage.station";

const NO_SUCH = "999999";

export const part: GuardPart = {
  modules: {
    "manage.calls": manageCalls,
    "manage.calls_.not-reached": notReached,
    "care_.calls": careCalls,
    "manage.station": station,
  },
  watched: ["call_marks"],
  entries: [
    { route: "manage.calls", kind: "loader", policy: "staff", path: () => "/manage/calls", ok: page() },
    {
      // Marking a call for someone not booked: 404 in words, nothing written.
      route: "manage.calls",
      kind: "action",
      policy: "staff",
      path: () => "/manage/calls",
      form: (fx) => ({ intent: "mark", personId: NO_SUCH, sessionId: String(fx.sessionId) }),
      ok: page(404),
      writesNothing: true,
    },
    { route: "manage.calls_.not-reached", kind: "loader", policy: "staff", path: () => "/manage/calls/not-reached", ok: page() },
    { route: "care_.calls", kind: "loader", policy: "desk", path: () => "/care/calls", ok: page() },
    {
      route: "care_.calls",
      kind: "action",
      policy: "desk",
      path: () => "/care/calls",
      form: (fx) => ({ intent: "mark", personId: String(fx.personId), sessionId: String(fx.sessionId) }),
      ok: page(404),
      writesNothing: true,
    },
    { route: "manage.station", kind: "loader", policy: "admin", path: () => "/manage/station", ok: page() },
    {
      route: "manage.station",
      kind: "action",
      policy: "admin",
      path: () => "/manage/station",
      form: () => ({ phone: "0598-7654321", address: "富文路 1 号" }),
      ok: page(),
    },
  ],
};
