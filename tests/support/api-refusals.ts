import { expect } from "vitest";
import type { Db } from "../../models/db";
import type { MessageKey } from "../../models/i18n";
import { countApiRows } from "./api-fixtures";
import { callApi, expectError, type ApiOptions, type Method, type RouteName } from "./api-requests";
import { text } from "./routes-kit";

/**
 * One row of a table of requests the API must refuse (api-bad-input, api-rosters): who calls
 * which route with what, and the refusal expected. `F` is the test's own fixture, `W` its callers.
 */
export interface RefusalCase<F, W extends string> {
  name: string;
  route: RouteName;
  method: Method;
  who: W;
  options: (fx: F) => ApiOptions;
  status: number;
  code: string;
  /** The exact message (catalog key and params), in zh-CN unless lang is en. */
  message?: [MessageKey, Record<string, string | number>?];
  /** A field that must be named in error.fields. */
  field?: string;
}

/**
 * Sends the case's request (as `token` unless its options name one) and checks the refusal the
 * same way for every table: status and code, the field named, the exact message, Chinese unless
 * English was asked for, and not one row written.
 */
export async function expectRefusal<F, W extends string>(db: Db, c: RefusalCase<F, W>, options: ApiOptions, token: string | undefined) {
  const before = await countApiRows(db);
  const result = await callApi(c.route, c.method, { ...options, token: options.token ?? token });
  const error = expectError(result, c.status, c.code);
  if (c.field) expect(Object.keys(error.fields ?? {}), result.text).toContain(c.field);
  const locale = options.lang?.startsWith("en") ? "en" : "zh-CN";
  if (c.message) expect(error.message).toBe(text(locale, c.message[0], c.message[1]));
  // Chinese unless English was asked for: at least one CJK character, or none at all.
  expect(/[\u4e00-\u9fff]/.test(error.message), error.message).toBe(locale === "zh-CN");
  expect(await countApiRows(db)).toEqual(before);
}
