import { describe, expect, it } from "vitest";
import { getZodConstraint } from "@conform-to/zod/v4";
import { z } from "zod";
import { constraintsOf, fields } from "../../app/lib/fields";
import { parseForm } from "../../app/lib/http.server";
import { translator } from "../../models/i18n";
import { CAPACITY, PARTY_SIZE, PASSWORD, RULE_COUNT, TEXT } from "../../models/limits";
import { seriesFormSchema } from "../../app/lib/series-schema";
import { skillIntents } from "../../app/lib/skill-forms";

const schema = z.object({
  name: fields.text(TEXT.personName),
  note: fields.optionalText(TEXT.note),
  party: fields.int(PARTY_SIZE.min, PARTY_SIZE.max),
  birthYear: fields.optionalInt(1900, 2026),
  email: fields.email(),
  password: fields.password(),
  day: fields.date(),
});

describe("constraintsOf: an input's HTML constraints from the schema the server parses with", () => {
  const c = constraintsOf(schema);

  it("takes lengths and bounds from the limits", () => {
    expect(c.name).toEqual({ required: true, maxLength: TEXT.personName });
    expect(c.email).toEqual({ required: true, maxLength: TEXT.email });
    expect(c.password).toEqual({ required: true, minLength: PASSWORD.min, maxLength: PASSWORD.max });
    expect(c.party).toMatchObject({ required: true, min: PARTY_SIZE.min, max: PARTY_SIZE.max });
  });

  it("calls a field required only when an empty input is refused", () => {
    expect(c.note).toEqual({ required: false, maxLength: TEXT.note });
    expect(c.birthYear).toMatchObject({ required: false, min: 1900, max: 2026 });
  });

  it("gives patterns that an HTML input can use (matched whole, v flag)", () => {
    const pattern = c.day?.pattern;
    expect(pattern).toBeDefined();
    const whole = new RegExp(`^(?:${pattern})$`, "v");
    expect(whole.test("2026-12-05")).toBe(true);
    expect(whole.test("5.12.2026")).toBe(false);
  });

  it("reads the series editor's and the skills page's schemas, refinements and all", () => {
    const series = constraintsOf(seriesFormSchema);
    expect(series.title).toEqual({ required: true, maxLength: TEXT.title });
    expect(series.description).toEqual({ required: false, maxLength: TEXT.description });
    expect(series.capacity).toMatchObject({ required: true, min: CAPACITY.min, max: CAPACITY.max });
    expect(series.count).toMatchObject({ required: false, min: RULE_COUNT.min, max: RULE_COUNT.max });
    expect(constraintsOf(skillIntents.create).slug).toMatchObject({ required: true, maxLength: 40 });
    expect(constraintsOf(skillIntents.give).specialty).toEqual({ required: false, maxLength: TEXT.specialty });
  });

  // Why constraintsOf exists: Conform 1.21.1 reads zod's `_zod.bag`, which zod 4.6 stopped
  // filling. When this fails, Conform reads the checks again and constraintsOf can go.
  it("is needed: Conform's own reader loses the bounds on this zod", () => {
    expect(getZodConstraint(schema).name).toEqual({ required: true });
  });
});

describe("parseForm through Conform", () => {
  const t = translator("zh-CN");
  const form = (entries: [string, string][]) => {
    const data = new FormData();
    for (const [name, value] of entries) data.append(name, value);
    return data;
  };

  it("parses and words refusals with the catalog, as before", () => {
    const ok = parseForm(
      form([
        ["name", " 王德福 "],
        ["party", "2"],
        ["birthYear", ""],
        ["email", "A@B.CN"],
        ["password", "12345678"],
        ["day", "2026-12-05"],
      ]),
      schema,
      t,
    );
    expect(ok).toEqual({
      ok: true,
      data: { name: "王德福", note: "", party: 2, birthYear: null, email: "a@b.cn", password: "12345678", day: "2026-12-05" },
    });
    const refused = parseForm(
      form([
        ["name", ""],
        ["party", "11"],
      ]),
      schema,
      t,
    );
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.fieldErrors.name).toBe(t("field.required"));
    expect(refused.fieldErrors.party).toBe(t("field.range", { min: PARTY_SIZE.min, max: PARTY_SIZE.max }));
  });

  it("ignores Conform's reserved names instead of failing on them", () => {
    const result = parseForm(
      form([
        ["__intent__", "not json"],
        ["__state__", "{"],
        ["name", "x"],
      ]),
      z.object({ name: fields.text(10) }),
      t,
    );
    expect(result).toEqual({ ok: true, data: { name: "x" } });
  });

  it("keeps a list a list when the form sent one value or none", () => {
    const lists = z.object({ receive: z.array(z.string()) });
    expect(parseForm(form([["receive", "a"]]), lists, t, ["receive"])).toEqual({ ok: true, data: { receive: ["a"] } });
    expect(parseForm(form([]), lists, t, ["receive"])).toEqual({ ok: true, data: { receive: [] } });
    expect(
      parseForm(
        form([
          ["receive", "a"],
          ["receive", "b"],
        ]),
        lists,
        t,
        ["receive"],
      ),
    ).toEqual({ ok: true, data: { receive: ["a", "b"] } });
  });
});
