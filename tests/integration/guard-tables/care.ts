// The care net in the route guard matrix: 我的联系户 is open to any signed-in account (the model
// shows each only the households in their care; everyone else sees none).
import { page, type GuardPart } from "../../support/guard-kit";
import * as care from "../../../app/routes/care";

const NO_SUCH = "999999";

export const part: GuardPart = {
  modules: { care },
  watched: ["signups"],
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
  ],
};
