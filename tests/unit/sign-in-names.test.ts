import { describe, expect, it } from "vitest";
import { normaliseMobile, parseSignInName } from "../../models/sign-in-names";
import { groupCode, normaliseCode } from "../../models/sign-in-codes";

describe("normaliseMobile", () => {
  it.each([
    ["13812345678", "13812345678"],
    ["138 1234 5678", "13812345678"],
    ["138-1234-5678", "13812345678"],
    [" +86 138 1234 5678 ", "13812345678"],
    ["+8613812345678", "13812345678"],
    ["0086 13812345678", "13812345678"],
    ["8613812345678", "13812345678"],
    ["(+86) 199-0000-0001", "19900000001"],
  ])("reads %j as %s", (typed, kept) => {
    expect(normaliseMobile(typed)).toBe(kept);
  });

  it.each(["", "12812345678", "1381234567", "138123456789", "0598-1234567", "02012345678", "+1 13812345678", "138 1234 567a", "+86 0598 1234567"])(
    "refuses %j",
    (typed) => {
      expect(normaliseMobile(typed)).toBeNull();
    },
  );

  it("has nothing for nothing", () => {
    expect(normaliseMobile(null)).toBeNull();
    expect(normaliseMobile(undefined)).toBeNull();
  });
});

describe("parseSignInName", () => {
  it("reads an email (any case, spaces around) or a mobile number, and nothing else", () => {
    expect(parseSignInName("  Wang@Example.CN ")).toEqual({ email: "wang@example.cn" });
    expect(parseSignInName("+86 139-0000-0001")).toEqual({ phone: "13900000001" });
    expect(parseSignInName("wang@")).toBeNull();
    expect(parseSignInName("0598-1234567")).toBeNull();
    expect(parseSignInName("王德福")).toBeNull();
  });
});

describe("sign-in codes as typed and printed", () => {
  it("group as 4 + 4 and read back with spaces or dashes", () => {
    expect(groupCode("01234567")).toBe("0123 4567");
    expect(normaliseCode("0123 4567")).toBe("01234567");
    expect(normaliseCode("0123-4567")).toBe("01234567");
    expect(normaliseCode("0123456")).toBeNull();
    expect(normaliseCode("0123456a")).toBeNull();
  });
});
