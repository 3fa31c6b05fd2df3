// Personal information in the route guard matrix (ADR 22): 我的数据, corrections and consents
// are every signed-in person's own; staff produce a person's data and correct it; consents for
// someone else are staff's (and their caretaker's): to anyone else the person does not exist.
import { page, type GuardPart } from "../../support/guard-kit";
import * as myData from "../../../app/routes/account_.data";
import * as myDataJson from "../../../app/routes/account_.data[.]json";
import * as myDataCsv from "../../../app/routes/account_.data[.]csv";
import * as myDetails from "../../../app/routes/account_.details";
import * as myConsents from "../../../app/routes/account_.consents";
import * as personConsents from "../../../app/routes/people.$id.consents";
import * as staffPerson from "../../../app/routes/manage.people.$id";
import * as personData from "../../../app/routes/manage.people.$id_.data";
import * as personDataJson from "../../../app/routes/manage.people.$id_.data[.]json";
import * as personDataCsv from "../../../app/routes/manage.people.$id_.data[.]csv";

const NOT_FOUND = { status: 404, body: "找不到这个页面或记录。" };
const person = {
  path: (fx: { personId: number }) => `/manage/people/${fx.personId}`,
  params: (fx: { personId: number }) => ({ id: String(fx.personId) }),
};

export const part: GuardPart = {
  modules: {
    "account_.data": myData,
    "account_.data[.]json": myDataJson,
    "account_.data[.]csv": myDataCsv,
    "account_.details": myDetails,
    "account_.consents": myConsents,
    "people.$id.consents": personConsents,
    "manage.people.$id": staffPerson,
    "manage.people.$id_.data": personData,
    "manage.people.$id_.data[.]json": personDataJson,
    "manage.people.$id_.data[.]csv": personDataCsv,
  },
  watched: ["person_consents", "people", "household_consents"],
  entries: [
    { route: "account_.data", kind: "loader", policy: "signed-in", path: () => "/account/data", ok: page() },
    { route: "account_.data[.]json", kind: "loader", policy: "signed-in", path: () => "/account/data.json", ok: page() },
    { route: "account_.data[.]csv", kind: "loader", policy: "signed-in", path: () => "/account/data.csv", ok: page() },
    { route: "account_.details", kind: "loader", policy: "signed-in", path: () => "/account/details", ok: page() },
    {
      // An empty name: 400 in words, nothing written.
      route: "account_.details",
      kind: "action",
      policy: "signed-in",
      path: () => "/account/details",
      form: () => ({ fullName: "" }),
      ok: page(400),
      writesNothing: true,
    },
    { route: "account_.consents", kind: "loader", policy: "signed-in", path: () => "/account/consents", ok: page() },
    {
      // Nothing in force to withdraw: 409, nothing written.
      route: "account_.consents",
      kind: "action",
      policy: "signed-in",
      path: () => "/account/consents",
      form: () => ({ intent: "withdraw", purpose: "mail", way: "online" }),
      ok: page(409),
      writesNothing: true,
    },
    {
      route: "people.$id.consents",
      kind: "loader",
      policy: "staff",
      path: (fx) => `/people/${fx.personId}/consents`,
      params: (fx) => ({ id: String(fx.personId) }),
      ok: page(),
      refused: NOT_FOUND,
    },
    {
      route: "people.$id.consents",
      kind: "action",
      policy: "staff",
      path: (fx) => `/people/${fx.personId}/consents`,
      params: (fx) => ({ id: String(fx.personId) }),
      form: () => ({ intent: "withdraw", purpose: "mail", way: "phone" }),
      ok: page(409),
      refused: NOT_FOUND,
      writesNothing: true,
    },
    { route: "manage.people.$id", kind: "loader", policy: "staff", ...person, ok: page() },
    { route: "manage.people.$id", kind: "action", policy: "staff", ...person, form: () => ({ fullName: "" }), ok: page(400), writesNothing: true },
    {
      route: "manage.people.$id_.data",
      kind: "loader",
      policy: "staff",
      path: (fx) => `/manage/people/${fx.personId}/data`,
      params: person.params,
      ok: page(),
    },
    {
      route: "manage.people.$id_.data[.]json",
      kind: "loader",
      policy: "staff",
      path: (fx) => `/manage/people/${fx.personId}/data.json`,
      params: person.params,
      ok: page(),
    },
    {
      route: "manage.people.$id_.data[.]csv",
      kind: "loader",
      policy: "staff",
      path: (fx) => `/manage/people/${fx.personId}/data.csv`,
      params: person.params,
      ok: page(),
    },
  ],
};
