// The consultation waitlist (ADR 26) in the route guard matrix: a held slot's page (for its
// person, whoever acts for them, staff; for anyone else it does not exist), joining a
// service's waitlist, and staff's lines.
import { page, type GuardPart } from "../../support/guard-kit";
import { makeSkill } from "../../support/roster-fixtures";
import { consultationServices } from "../../../models/db/schema";
import * as offer from "../../../app/routes/consultations.offers.$id";
import * as lines from "../../../app/routes/manage.consultations_.waitlist";

const NO_SUCH = "999999";

export const part: GuardPart = {
  modules: {
    "consultations.offers.$id": offer,
    "manage.consultations_.waitlist": lines,
  },
  watched: ["consultations", "consultation_waitlist"],
  prepare: async (db, fx, { stationId }) => {
    const skillId = await makeSkill(db, stationId, { nameZh: "心理" });
    const [row] = await db
      .insert(consultationServices)
      .values({ stationId, kind: "counselling", nameZh: "心理咨询", nameEn: "Counselling", skillId, slotMinutes: 45 })
      .returning({ id: consultationServices.id });
    fx.extra.waitServiceId = row!.id;
  },
  entries: [
    {
      route: "consultations.offers.$id",
      kind: "loader",
      policy: "signed-in",
      path: () => `/consultations/offers/${NO_SUCH}`,
      params: () => ({ id: NO_SUCH }),
      ok: page(404),
    },
    {
      route: "consultations.offers.$id",
      kind: "action",
      policy: "signed-in",
      path: () => `/consultations/offers/${NO_SUCH}`,
      params: () => ({ id: NO_SUCH }),
      form: () => ({ intent: "decline" }),
      ok: page(404),
      writesNothing: true,
    },
    { route: "manage.consultations_.waitlist", kind: "loader", policy: "staff", path: () => "/manage/consultations/waitlist", ok: page() },
  ],
};
