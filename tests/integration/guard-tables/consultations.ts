// Consultations in the route guard matrix: the services page, a service's slots and booking,
// the provider's day (any signed-in account: the model shows each only their own) and the
// staff's services and hours.
import { page, type GuardPart } from "../../support/guard-kit";
import { makeSkill } from "../../support/roster-fixtures";
import { consultationServices } from "../../../models/db/schema";
import * as services from "../../../app/routes/consultations._index";
import * as service from "../../../app/routes/consultations.$id";
import * as providerDay from "../../../app/routes/my.consultations";
import * as ownHours from "../../../app/routes/my.consultations_.hours";
import * as manage from "../../../app/routes/manage.consultations";
import * as stationDay from "../../../app/routes/manage.consultations_.day";

const NO_SUCH = "999999";

export const part: GuardPart = {
  modules: {
    "consultations._index": services,
    "consultations.$id": service,
    "my.consultations": providerDay,
    "my.consultations_.hours": ownHours,
    "manage.consultations": manage,
    "manage.consultations_.day": stationDay,
  },
  watched: ["consultations", "consultation_services", "provider_hours", "provider_hours_changes", "consultation_waitlist"],
  prepare: async (db, fx, { stationId }) => {
    const skillId = await makeSkill(db, stationId, { nameZh: "律师" });
    const [row] = await db
      .insert(consultationServices)
      .values({ stationId, kind: "legal", nameZh: "法律援助", nameEn: "Legal aid", skillId, slotMinutes: 30 })
      .returning({ id: consultationServices.id });
    fx.extra.serviceId = row!.id;
  },
  entries: [
    { route: "consultations._index", kind: "loader", policy: "signed-in", path: () => "/consultations", ok: page() },
    {
      // Cancelling a booking that does not exist (or is not the viewer's): 404, nothing written.
      route: "consultations._index",
      kind: "action",
      policy: "signed-in",
      path: () => "/consultations",
      form: () => ({ intent: "cancel", consultationId: NO_SUCH }),
      ok: page(404),
      writesNothing: true,
    },
    {
      route: "consultations.$id",
      kind: "loader",
      policy: "signed-in",
      path: (fx) => `/consultations/${fx.extra.serviceId}`,
      params: (fx) => ({ id: String(fx.extra.serviceId) }),
      ok: page(),
    },
    {
      // A time long past: outside the booking window (409 in words), nothing written.
      route: "consultations.$id",
      kind: "action",
      policy: "signed-in",
      path: (fx) => `/consultations/${fx.extra.serviceId}`,
      params: (fx) => ({ id: String(fx.extra.serviceId) }),
      form: () => ({ intent: "book", startsAt: "2001-01-01T09:00:00+08:00", providerId: NO_SUCH, topic: "" }),
      ok: page(409),
      writesNothing: true,
    },
    {
      // Waiting from a day long past: refused in words (422), nothing written.
      route: "consultations.$id",
      kind: "action",
      policy: "signed-in",
      path: (fx) => `/consultations/${fx.extra.serviceId}`,
      params: (fx) => ({ id: String(fx.extra.serviceId) }),
      form: () => ({ intent: "wait", fromDate: "2001-01-01", toDate: "" }),
      ok: page(422),
      writesNothing: true,
    },
    { route: "my.consultations", kind: "loader", policy: "signed-in", path: () => "/my/consultations", ok: page() },
    {
      route: "my.consultations",
      kind: "action",
      policy: "signed-in",
      path: () => "/my/consultations",
      form: () => ({ intent: "attendance", consultationId: NO_SUCH, attendance: "attended" }),
      ok: page(404),
      writesNothing: true,
    },
    // One's own hours (any signed-in account; another's only for staff, `canManageHours`).
    { route: "my.consultations_.hours", kind: "loader", policy: "signed-in", path: () => "/my/consultations/hours", ok: page() },
    {
      route: "my.consultations_.hours",
      kind: "action",
      policy: "signed-in",
      path: () => "/my/consultations/hours",
      form: () => ({ intent: "removeHours", hoursId: NO_SUCH }),
      ok: page(404),
      writesNothing: true,
    },
    { route: "manage.consultations", kind: "loader", policy: "staff", path: () => "/manage/consultations", ok: page() },
    {
      route: "manage.consultations",
      kind: "action",
      policy: "staff",
      path: () => "/manage/consultations",
      form: () => ({ intent: "removeHours", hoursId: NO_SUCH }),
      ok: page(404),
      writesNothing: true,
    },
    { route: "manage.consultations_.day", kind: "loader", policy: "staff", path: () => "/manage/consultations/day", ok: page() },
    {
      route: "manage.consultations_.day",
      kind: "action",
      policy: "staff",
      path: () => "/manage/consultations/day",
      form: () => ({ intent: "cancel", consultationId: NO_SUCH }),
      ok: page(404),
      writesNothing: true,
    },
  ],
};
