// Erasure (ADR 23) in the route guard matrix: a person's own erasure page (anyone signed in, for
// themself) and staff erasing a person on request. The actions are sent with forms that
// validation refuses, so the matrix never erases one of its own viewers.
import { page, type GuardPart } from "../../support/guard-kit";
import * as eraseMyself from "../../../app/routes/account_.erase";
import * as erasePerson from "../../../app/routes/manage.people.$id_.erase";

export const part: GuardPart = {
  modules: {
    "account_.erase": eraseMyself,
    "manage.people.$id_.erase": erasePerson,
  },
  watched: ["audit_log"],
  entries: [
    { route: "account_.erase", kind: "loader", policy: "signed-in", path: () => "/account/erase", ok: page() },
    {
      route: "account_.erase",
      kind: "action",
      policy: "signed-in",
      path: () => "/account/erase",
      form: () => ({ password: "" }),
      ok: page(400),
      writesNothing: true,
    },
    {
      route: "manage.people.$id_.erase",
      kind: "loader",
      policy: "staff",
      path: (fx) => `/manage/people/${fx.personId}/erase`,
      params: (fx) => ({ id: String(fx.personId) }),
      ok: page(),
    },
    {
      route: "manage.people.$id_.erase",
      kind: "action",
      policy: "staff",
      path: (fx) => `/manage/people/${fx.personId}/erase`,
      params: (fx) => ({ id: String(fx.personId) }),
      form: () => ({ via: "email", note: "" }),
      ok: page(400),
      writesNothing: true,
    },
  ],
};
