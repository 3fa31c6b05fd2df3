// The pages' inputs carry the HTML constraints of the schema their action parses with: a bound
// changed in models/limits.ts reaches the input without anyone editing the page.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRemixStub } from "@remix-run/testing";
import { describe, expect, it, vi } from "vitest";
import { PASSWORD, TEXT } from "../../models/limits";
import Login from "../../app/routes/login";
import Register from "../../app/routes/register";

// The memory router's useLayoutEffect warns under renderToString; the warning says nothing of
// forms. Set at load: the describe blocks render while they are collected.
const logError = console.error.bind(console);
vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
  if (!String(args[0]).includes("useLayoutEffect")) logError(...args);
});

/** The page rendered on the server, as a browser without JavaScript gets it. */
function render(path: string, Component: () => JSX.Element, actionData?: unknown) {
  const Stub = createRemixStub([{ path, Component }]);
  return renderToString(
    createElement(Stub, {
      initialEntries: [path],
      hydrationData: { loaderData: { "0": null }, actionData: actionData ? { "0": actionData } : undefined },
    }),
  );
}

/** A tag's attributes (React writes them as name="value", booleans as name=""). */
function attributesOf(tag: string) {
  const attributes = new Map<string, string>();
  for (const [, name, value] of tag.matchAll(/\s([a-zA-Z-]+)(?:="([^"]*)")?/g)) attributes.set(name!.toLowerCase(), value ?? "");
  return { getAttribute: (name: string) => attributes.get(name) ?? null, hasAttribute: (name: string) => attributes.has(name) };
}

const input = (html: string, name: string) => {
  const tag = [...html.matchAll(/<input\b[^>]*>/g)].map((m) => m[0]).find((t) => t.includes(` name="${name}"`));
  if (!tag) throw new Error(`no input ${name}`);
  return attributesOf(tag);
};
const formOf = (html: string) => attributesOf(/<form\b[^>]*method="post"[^>]*>/.exec(html)?.[0] ?? "");
const textOf = (html: string, pattern: RegExp) => pattern.exec(html)?.[1];

describe("the register page's inputs", () => {
  const page = render("/register", Register);

  it("take their lengths from the limits", () => {
    expect(input(page, "fullName").getAttribute("maxlength")).toBe(String(TEXT.personName));
    expect(input(page, "email").getAttribute("maxlength")).toBe(String(TEXT.email));
    expect(input(page, "phone").getAttribute("maxlength")).toBe(String(TEXT.phone));
    expect(input(page, "password").getAttribute("minlength")).toBe(String(PASSWORD.min));
    expect(input(page, "password").getAttribute("maxlength")).toBe(String(PASSWORD.max));
  });

  it("mark as required exactly what the schema refuses empty", () => {
    for (const name of ["fullName", "password"]) expect(input(page, name).hasAttribute("required"), name).toBe(true);
    // A mobile number or an email: either may be left empty (the action asks for one of them).
    for (const name of ["phone", "email", "birthYear"]) expect(input(page, name).hasAttribute("required"), name).toBe(false);
    expect(input(page, "birthYear").getAttribute("min")).toBe("1900");
  });

  it("leave checking to the page's own messages (noValidate), so the form still posts without JavaScript", () => {
    const form = formOf(page);
    expect(form.hasAttribute("novalidate")).toBe(true);
    expect(form.getAttribute("action")).toBe("/register");
  });

  it("show the server's refusal on the field it names, in the user's language", () => {
    const refused = render("/register", Register, { ok: false, formError: "请检查下面标出的内容。", fieldErrors: { fullName: "请填写这一项。" } });
    expect(textOf(refused, /role="alert">([^<]*)</)).toBe("请检查下面标出的内容。");
    expect(input(refused, "fullName").getAttribute("aria-invalid")).toBe("true");
    expect(textOf(refused, /id="f-fullName-error"[^>]*>([^<]*)</)).toBe("请填写这一项。");
  });
});

describe("a refusal sent without JavaScript", () => {
  it("puts back what was typed, but never the password", () => {
    const refused = render("/register", Register, {
      ok: false,
      formError: "请检查下面标出的内容。",
      fieldErrors: { phone: "请填写一个数字。" },
      values: { fullName: "王德福", email: "wang@example.cn", phone: "call me" },
    });
    expect(input(refused, "fullName").getAttribute("value")).toBe("王德福");
    expect(input(refused, "phone").getAttribute("value")).toBe("call me");
    expect(input(refused, "password").hasAttribute("value")).toBe(false);
  });
});

describe("the login page's inputs", () => {
  it("take the bound of the one mobile-or-email field from the limits", () => {
    const page = render("/login", Login);
    expect(input(page, "login").getAttribute("maxlength")).toBe(String(TEXT.email));
    expect(input(page, "password").hasAttribute("required")).toBe(true);
  });
});
