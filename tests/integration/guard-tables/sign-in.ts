// Signing in without email (ADR 21) in the route guard matrix: the code sign-in page (public,
// like /login), setting one's own password (any signed-in account) and the desk's sign-in
// account page for a person (staff).
import { page, type GuardPart } from "../../support/guard-kit";
import * as loginCode from "../../../app/routes/login_.code";
import * as password from "../../../app/routes/account_.password";
import * as deskSignIn from "../../../app/routes/manage.people.$id_.sign-in";

export const part: GuardPart = {
  modules: {
    "login_.code": loginCode,
    "account_.password": password,
    "manage.people.$id_.sign-in": deskSignIn,
  },
  watched: ["accounts", "sign_in_codes"],
  entries: [
    {
      route: "login_.code",
      kind: "loader",
      policy: "public",
      path: () => "/login/code",
      ok: (_, signedIn) => (signedIn ? { status: 302, location: "/calendar" } : { status: 200 }),
    },
    // An empty form: the 400 proves the request got past the guard into validation.
    { route: "login_.code", kind: "action", policy: "public", path: () => "/login/code", form: () => ({}), ok: page(400) },
    { route: "account_.password", kind: "loader", policy: "signed-in", path: () => "/account/password", ok: page() },
    {
      route: "account_.password",
      kind: "action",
      policy: "signed-in",
      path: () => "/account/password",
      form: () => ({ password: "short" }),
      ok: page(400),
      writesNothing: true,
    },
    {
      route: "manage.people.$id_.sign-in",
      kind: "loader",
      policy: "staff",
      path: (fx) => `/manage/people/${fx.personId}/sign-in`,
      params: (fx) => ({ id: String(fx.personId) }),
      ok: page(),
    },
    {
      // A new code for a person with no account: 404, nothing written.
      route: "manage.people.$id_.sign-in",
      kind: "action",
      policy: "staff",
      path: (fx) => `/manage/people/${fx.personId}/sign-in`,
      params: (fx) => ({ id: String(fx.personId) }),
      form: () => ({ intent: "issue" }),
      ok: page(404),
      writesNothing: true,
    },
  ],
};
