// The one set of field schemas in its two modes: a form sends strings, a JSON body typed
// values. The same rule (bounds, patterns, unsafe characters) holds in both; only the coercion
// and the way an absent value reads differ. And one mapper words the issues for each.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldSet, hasUnsafeCharacters, idOf, issueFields } from "../../app/lib/fields";
import { translator } from "../../models/i18n";

const form = fieldSet("form");
const json = fieldSet("json");
const t = translator("zh-CN");
const firstMessage = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues[0]?.message;

describe("one rule, two modes", () => {
  it("coerces a form's digits and takes JSON's integers, with the same bounds", () => {
    expect(form.int(1, 10).parse(" 7 ")).toBe(7);
    expect(json.int(1, 10).parse(7)).toBe(7);
    expect(firstMessage(form.int(1, 10), "11")).toBe("field.range");
    expect(firstMessage(json.int(1, 10), 11)).toBe("field.range");
    // Each mode refuses the other's shape: no silent coercion of "7" in JSON, no number in a form.
    expect(json.int(1, 10).safeParse("7").success).toBe(false);
    expect(form.int(1, 10).safeParse(7).success).toBe(false);
  });

  it("reads an absent optional text as an empty input in a form, and leaves it absent in JSON", () => {
    expect(form.optionalText(10).parse(undefined)).toBe("");
    expect(json.optionalText(10).optional().parse(undefined)).toBeUndefined();
    expect(json.optionalText(10).safeParse(undefined).success).toBe(false);
  });

  it("reads an empty optional number as null in a form, and takes null in JSON", () => {
    expect(form.optionalInt(0, 5).parse("")).toBeNull();
    expect(json.optionalInt(0, 5).parse(null)).toBeNull();
    expect(firstMessage(form.optionalInt(0, 5), "6")).toBe("field.range");
    expect(firstMessage(json.optionalInt(0, 5), 6)).toBe("field.range");
  });

  it("trims and bounds text the same way in both", () => {
    for (const mode of [form, json]) {
      expect(mode.text(5).parse("  abc  ")).toBe("abc");
      expect(firstMessage(mode.text(5), "   ")).toBe("field.required");
      expect(mode.text(5).safeParse("abcdef").success).toBe(false);
    }
  });

  it("accepts only real dates and times in both", () => {
    for (const mode of [form, json]) {
      expect(mode.date().parse("2026-12-01")).toBe("2026-12-01");
      expect(firstMessage(mode.date(), "2026-02-30")).toBe("field.date");
      expect(firstMessage(mode.time(), "24:00")).toBe("field.time");
    }
  });

  it("takes ids up to int4 in both, and nothing past it", () => {
    expect(form.id().parse("2147483647")).toBe(2_147_483_647);
    expect(json.id().parse(2_147_483_647)).toBe(2_147_483_647);
    expect(firstMessage(form.id(), "2147483648")).toBe("field.range");
    expect(firstMessage(json.id(), 2_147_483_648)).toBe("field.range");
    expect(idOf("12")).toBe(12);
    for (const bad of ["0", "012", "-1", "1e3", "2147483648", undefined]) expect(idOf(bad)).toBeNull();
  });
});

describe("characters PostgreSQL cannot store", () => {
  it("are refused in every text field of both modes: control characters and lone surrogates", () => {
    for (const bad of ["a\u0000b", "\u0007", "x\ud800", "\udc00y", "\ud800\ud800"]) {
      expect(hasUnsafeCharacters(bad), JSON.stringify(bad)).toBe(true);
      expect(firstMessage(form.text(20), bad)).toBe("field.characters");
      expect(firstMessage(json.text(20), bad)).toBe("field.characters");
      expect(firstMessage(json.optionalText(20), bad)).toBe("field.characters");
    }
  });

  it("are not confused with what people write: tabs, line breaks, CJK, emoji (a proper surrogate pair)", () => {
    for (const good of ["a\tb", "第一行\n第二行\r\n", "王德福", "太极 🙂"]) {
      expect(hasUnsafeCharacters(good), JSON.stringify(good)).toBe(false);
      expect(json.text(20).parse(good)).toBe(good.trim());
    }
  });
});

describe("one mapper of issues to messages", () => {
  const schema = z.strictObject({ partySize: json.int(1, 10), rule: z.strictObject({ count: json.int(1, 5) }) });

  it("names JSON fields by their dotted path and says what type was expected", () => {
    const error = schema.safeParse({ partySize: "2", rule: { count: 9 }, extra: 1 }, { reportInput: true }).error!;
    expect(issueFields(error, t, "json")).toEqual({
      partySize: t("api.expectInteger"),
      "rule.count": t("field.range", { min: 1, max: 5 }),
      extra: t("api.unknownField"),
    });
  });

  it("names form fields by their input and words a missing one as required", () => {
    const formSchema = z.object({ partySize: form.int(1, 10), name: form.text(5) });
    const error = formSchema.safeParse({ partySize: "0" }).error!;
    expect(issueFields(error, t, "form")).toEqual({ partySize: t("field.range", { min: 1, max: 10 }), name: t("field.required") });
  });

  it("calls a form intent that matches nothing a bad request, and a JSON one a wrong choice", () => {
    const intents = z.discriminatedUnion("intent", [z.object({ intent: z.literal("a") }), z.object({ intent: z.literal("b") })]);
    const error = intents.safeParse({ intent: "c" }).error!;
    expect(Object.values(issueFields(error, t, "form"))).toEqual([t("error.badRequest")]);
    expect(Object.values(issueFields(error, t, "json"))).toEqual([t("field.choice")]);
  });
});
