import { describe, expect, it } from "vitest";
import type { MetaArgs } from "@remix-run/node";
import { titleMeta } from "../../app/lib/meta";
import { translator } from "../../models/i18n";

// Page titles come from the message catalog, in the viewer's language (issue 9).
const argsFor = (locale: unknown) => ({ matches: [{ id: "root", data: { locale } }] }) as unknown as MetaArgs;

describe("titleMeta", () => {
  it("gives the title in the language of the root loader's data", () => {
    expect(titleMeta("bookings.title")(argsFor("en"))).toEqual([{ title: translator("en")("bookings.title") }]);
    expect(titleMeta("bookings.title")(argsFor("zh-CN"))).toEqual([{ title: "我的预约" }]);
  });

  it("falls back to Chinese when the root data is missing or its language unknown (an error page)", () => {
    expect(titleMeta("bookings.title")({ matches: [] } as unknown as MetaArgs)).toEqual([{ title: "我的预约" }]);
    expect(titleMeta("bookings.title")(argsFor("fr"))).toEqual([{ title: "我的预约" }]);
  });

  it("keeps the page's other meta entries after the title", () => {
    expect(titleMeta("unsub.title", [{ name: "robots", content: "noindex" }])(argsFor("en"))).toEqual([
      { title: "Unsubscribe" },
      { name: "robots", content: "noindex" },
    ]);
  });
});
