import { describe, expect, it } from "vitest";
import { fields } from "../../app/lib/http.server";

describe("fields.id", () => {
  it("takes a positive PostgreSQL integer and gives a number", () => {
    expect(fields.id().parse("1")).toBe(1);
    // Ten digits: ids past 999 999 999 are real ids too.
    expect(fields.id().parse(" 2147483647 ")).toBe(2_147_483_647);
    expect(fields.id().parse("2000000001")).toBe(2_000_000_001);
  });

  it("refuses zero, negatives, numbers past integer and non-numbers with the form messages", () => {
    const issue = (value: string) => fields.id().safeParse(value).error?.issues[0]?.message;
    expect(issue("0")).toBe("field.range");
    // A negative number is a number out of range, as int() says of it.
    expect(issue("-5")).toBe("field.range");
    expect(issue("2147483648")).toBe("field.range");
    expect(issue("12a")).toBe("field.number");
    expect(issue("99999999999")).toBe("field.number");
    expect(issue("")).toBe("field.number");
  });
});
