// The care net in the route guard matrix: 我的联系户 is open to any signed-in account (the model
// shows each only the households in their care; everyone else sees none); the households pages
// are staff's.
import { page, type GuardPart } from "../../support/guard-kit";
import { households } from "../../../models/db/schema";
import * as care from "../../../app/routes/care";
import * as manage from "../../../app/routes/manage.households";
import * as household from "../../../app/routes/manage.households_.$id";
import * as importPage from "../../../app/routes/manage.households_.import/route";
import * as importTemplate from "../../../app/routes/manage.households_.import[.]csv";

const NO_SUCH = "999999";

export const part: GuardPart = {
  modules: {
    care,
    "manage.households": manage,
    "manage.households_.$id": household,
    "manage.households_.import": importPage,
    "manage.households_.import[.]csv": importTemplate,
  },
  watched: ["signups", "households", "household_consents", "people"],
  prepare: async (db, fx, { stationId }) => {
    const [row] = await db.insert(households).values({ stationId, label: "守卫测试户" }).returning({ id: households.id });
    fx.extra.householdId = row!.id;
  },
  entries: [
    { route: "care", kind: "loader", policy: "signed-in", path: () => "/care", ok: page() },
    {
      // Cancelling a booking that does not exist (or is not one of her people's): 404, nothing written.
      route: "care",
      kind: "action",
      policy: "signed-in",
      path: () => "/care",
      form: () => ({ intent: "cancel", signupId: NO_SUCH }),
      ok: page(404),
      writesNothing: true,
    },
    { route: "manage.households", kind: "loader", policy: "staff", path: () => "/manage/households?q=%E5%AE%88", ok: page() },
    {
      // Handing households to someone who is not a member: 422 in words, nothing written.
      route: "manage.households",
      kind: "action",
      policy: "staff",
      path: () => "/manage/households",
      form: () => ({ intent: "reassignAll", fromId: NO_SUCH, toId: NO_SUCH, toName: "" }),
      ok: page(422),
      writesNothing: true,
    },
    {
      route: "manage.households_.$id",
      kind: "loader",
      policy: "staff",
      path: (fx) => `/manage/households/${fx.extra.householdId}`,
      params: (fx) => ({ id: String(fx.extra.householdId) }),
      ok: page(),
    },
    {
      // No consent in force to withdraw: 409 in words, nothing written.
      route: "manage.households_.$id",
      kind: "action",
      policy: "staff",
      path: (fx) => `/manage/households/${fx.extra.householdId}`,
      params: (fx) => ({ id: String(fx.extra.householdId) }),
      form: () => ({ intent: "withdraw" }),
      ok: page(409),
      writesNothing: true,
    },
    { route: "manage.households_.import", kind: "loader", policy: "staff", path: () => "/manage/households/import", ok: page() },
    {
      // A preview with no file: 400 in words, nothing written (the import's own tests send files).
      route: "manage.households_.import",
      kind: "action",
      policy: "staff",
      path: () => "/manage/households/import",
      form: () => ({ intent: "preview" }),
      ok: page(400),
      writesNothing: true,
    },
    { route: "manage.households_.import[.]csv", kind: "loader", policy: "staff", path: () => "/manage/households/import.csv", ok: page() },
  ],
};
