import { describe, expect, it } from "vitest";
import { translator } from "../../models/i18n";
import { adminsToAsk, whoMayOpen } from "../../app/lib/who-may-open";

describe("a refused page says who can open it", () => {
  const zh = translator("zh-CN");
  const en = translator("en");
  it("an admin-only page names the admin, in the reader's language", () => {
    expect(whoMayOpen(zh, { code: "not_allowed", roles: ["admin"] })).toBe("此页只有管理员可以打开。");
    expect(whoMayOpen(en, { code: "not_allowed", roles: ["admin"] })).toBe("Only an admin can open this page.");
  });
  it("several roles are listed", () => {
    expect(whoMayOpen(zh, { code: "not_allowed", roles: ["coordinator", "admin"] })).toBe("此页只有以下身份可以打开：协调员、管理员。");
  });
  it("a plain string, no roles or unknown roles: no answer, the page keeps its plain message", () => {
    for (const data of ["您没有权限打开这个页面。", null, {}, { roles: [] }, { roles: ["<script>"] }, { roles: "admin" }])
      expect(whoMayOpen(zh, data)).toBeNull();
  });
});

describe("a coordinator refused an admin-only page is told whom to ask", () => {
  it("reads the admins' names from the refusal, and nothing from anything else", () => {
    expect(adminsToAsk({ code: "not_allowed", roles: ["admin"], admins: ["王芳", 3, "陈建国"] })).toEqual(["王芳", "陈建国"]);
    expect(adminsToAsk({ code: "not_allowed", roles: ["admin"], admins: [] })).toEqual([]);
    for (const data of [null, "text", { roles: ["admin"] }, { admins: "王芳" }]) expect(adminsToAsk(data)).toBeNull();
  });
});
