// The weekly roster limits page in the route guard matrix: coordinators and admins set them.
import { goes, page, type GuardPart } from "../../support/guard-kit";
import * as limits from "../../../app/routes/manage.roster_.limits/route";

export const part: GuardPart = {
  modules: { "manage.roster_.limits": limits },
  watched: ["people"],
  entries: [
    { route: "manage.roster_.limits", kind: "loader", policy: "staff", path: () => "/manage/roster/limits?q=%E6%97%A0", ok: page() },
    {
      route: "manage.roster_.limits",
      kind: "action",
      policy: "staff",
      path: () => "/manage/roster/limits",
      form: (fx) => ({ intent: "person", personId: String(fx.personId), hours: "6" }),
      ok: goes("/manage/roster/limits?saved=1"),
    },
  ],
};
