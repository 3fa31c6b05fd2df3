/**
 * Accessibility: axe-core finds no serious or critical violation on the public pages (in
 * both languages) and the staff editors, and the header and calendar controls are big
 * enough to hit with an unsteady finger (44×44 CSS px), on a desktop and on a phone.
 */
import type { Page } from "@playwright/test";
import {
  DEMO,
  expect,
  expectNoSeriousAxeViolations,
  goto,
  setPreferences,
  signIn,
  smallTargets,
  stationNow,
  test,
  type TargetMeasure,
  zh,
} from "./support";

const LOCALES = ["zh-CN", "en"] as const;

/** The id of the first upcoming seeded tai chi session, from the public list. */
async function firstSessionPath(page: Page) {
  await goto(page, "/calendar/list?category=tai-chi");
  const href = await page.locator(".session-card a").first().getAttribute("href");
  expect(href).toMatch(/^\/sessions\/\d+$/);
  return href!;
}

test.describe("axe: no serious or critical violations", () => {
  for (const locale of LOCALES) {
    test(`public pages in ${locale}`, async ({ page, context, baseURL }) => {
      await setPreferences(context, baseURL!, { locale, largeText: false });
      const sessionPath = await firstSessionPath(page);
      const pages: [string, string][] = [
        ["month calendar", "/calendar"],
        ["month calendar, next month, filtered", `/calendar?month=${nextMonth()}&category=clinic`],
        ["week view", "/calendar/week"],
        ["upcoming list", "/calendar/list"],
        ["session page", sessionPath],
        ["login page", "/login"],
        ["register page", "/register"],
      ];
      for (const [label, path] of pages) {
        await goto(page, path);
        await expect(page.locator("html")).toHaveAttribute("lang", locale);
        await expectNoSeriousAxeViolations(page, `${label} (${locale})`);
      }
    });
  }

  test("large text, and a phone-sized screen", async ({ page, context, baseURL }) => {
    await setPreferences(context, baseURL!, { locale: "zh-CN", largeText: true });
    await page.setViewportSize({ width: 360, height: 780 });
    const sessionPath = await firstSessionPath(page);
    for (const path of ["/calendar", "/calendar/week", "/calendar/list", sessionPath]) {
      await goto(page, path);
      await expectNoSeriousAxeViolations(page, `${path} (large text, 360 px)`);
    }
  });

  test("staff pages: manage list, series editor (new, edit, refused), session editor", async ({ page, problems }) => {
    problems.allow(/HTTP 400 POST .*\/manage\/activities\/new/, "the refused form answers 400 by design");
    problems.allow(/console\.error .*Failed to load resource: the server responded with a status of 400/, "Chromium's log line for that 400");
    await signIn(page, DEMO.coordinator, "/manage");
    await expectNoSeriousAxeViolations(page, "manage list");
    const editHref = await page
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: "太极拳晨练" }) })
      .getByRole("link", { name: "修改" })
      .getAttribute("href");

    await goto(page, "/manage/activities/new");
    await expectNoSeriousAxeViolations(page, "series editor (new)");
    // Each repeat kind shows its own fieldsets; check each of them.
    for (const repeat of ["monthly", "daily", "none"]) {
      await page.locator("#f-repeat").selectOption(repeat);
      await expectNoSeriousAxeViolations(page, `series editor (new, repeat=${repeat})`);
    }
    await page.locator("#f-repeat").selectOption("weekly");
    // With the errors of a refused save shown.
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await expect(page.locator(".field-error").first()).toBeVisible();
    await expectNoSeriousAxeViolations(page, "series editor (new, with errors)");

    await goto(page, editHref!);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(zh("series.editTitle", { title: "太极拳晨练" }));
    await expectNoSeriousAxeViolations(page, "series editor (edit)");

    const sessionPath = await firstSessionPath(page);
    await goto(page, sessionPath);
    await expectNoSeriousAxeViolations(page, "session page (staff view)");
    await page.getByRole("link", { name: "修改这一场" }).click();
    await expect(page).toHaveURL(/\/manage\/sessions\/\d+$/);
    await expectNoSeriousAxeViolations(page, "session editor");
  });

  test("admin: categories page", async ({ page }) => {
    await signIn(page, DEMO.admin, "/manage/categories");
    await expectNoSeriousAxeViolations(page, "categories");
  });
});

const nextMonth = () => stationNow().startOf("month").plus({ months: 1 }).toFormat("yyyy-MM");

test.describe("touch targets of at least 44×44 CSS px", () => {
  const cases = [
    { name: "desktop", width: 1280, height: 900 },
    { name: "phone", width: 360, height: 780 },
  ];
  for (const viewport of cases) {
    for (const locale of LOCALES) {
      for (const largeText of [false, true]) {
        test(`header and calendar, ${viewport.name}, ${locale}${largeText ? ", large text" : ""}`, async ({ page, context, baseURL }, testInfo) => {
          await setPreferences(context, baseURL!, { locale, largeText });
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          const failures: (TargetMeasure & { page: string })[] = [];
          for (const path of ["/calendar", "/calendar/week", "/calendar/list"]) {
            await goto(page, path);
            for (const small of await smallTargets(page, "header.site-header, main")) failures.push({ ...small, page: path });
          }
          const sessionPath = await firstSessionPath(page);
          await goto(page, sessionPath);
          for (const small of await smallTargets(page, "header.site-header, main")) failures.push({ ...small, page: sessionPath });
          await testInfo.attach("small-targets.json", { body: JSON.stringify(failures, null, 2), contentType: "application/json" });
          expect(failures, "controls smaller than 44×44 CSS px").toEqual([]);
        });
      }
    }
  }

  test("header when signed in as staff, and the staff editors", async ({ page }, testInfo) => {
    await signIn(page, DEMO.admin, "/manage");
    const failures: (TargetMeasure & { page: string })[] = [];
    for (const path of ["/manage", "/manage/activities/new", "/manage/categories"]) {
      await goto(page, path);
      for (const small of await smallTargets(page, "header.site-header, main")) failures.push({ ...small, page: path });
    }
    await testInfo.attach("small-targets.json", { body: JSON.stringify(failures, null, 2), contentType: "application/json" });
    // Known (reported, and failing in known-issues.spec.ts): the "修改" link in each row of the manage list.
    expect(failures, "controls smaller than 44×44 CSS px").toEqual([]);
  });
});

/**
 * The privacy pages (ADR 22, 23): a resident's own on a phone in large text, and staff's on a
 * desktop, with no serious axe violation, no control under 44×44 px, and nothing running off the
 * side. A screenshot of each is attached to the report, to be looked at, not compared.
 */
test.describe("privacy pages", () => {
  const RESIDENT_PAGES = ["/account/consents", "/account/data", "/account/details", "/account/erase"];

  async function check(
    page: Page,
    path: string,
    testInfo: { attach: (name: string, options: { body: Buffer; contentType: string }) => Promise<void> },
  ) {
    await goto(page, path);
    await expectNoSeriousAxeViolations(page, path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} runs off the side`).toBeLessThanOrEqual(0);
    await testInfo.attach(`${path.replaceAll("/", "_")}.png`, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
    return (await smallTargets(page, "header.site-header, main")).map((small) => ({ ...small, page: path }));
  }

  test("a resident's own, on a phone in large text", async ({ page, context, baseURL }, testInfo) => {
    await setPreferences(context, baseURL!, { locale: "zh-CN", largeText: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, DEMO.resident, "/account");
    const failures: (TargetMeasure & { page: string })[] = [];
    for (const path of RESIDENT_PAGES) failures.push(...(await check(page, path, testInfo)));
    await testInfo.attach("small-targets.json", { body: Buffer.from(JSON.stringify(failures, null, 2)), contentType: "application/json" });
    expect(failures, "controls smaller than 44×44 CSS px").toEqual([]);
  });

  test("staff's, for that resident, on a desktop", async ({ page, context, baseURL }, testInfo) => {
    await signIn(page, DEMO.resident, "/account");
    const own = (await (await page.request.get("/account/data.json")).json()) as { person: { id: number } };
    await context.clearCookies({ name: "hearth_session" });
    await setPreferences(context, baseURL!, { locale: "zh-CN", largeText: false });
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, DEMO.coordinator, "/manage");
    const failures: (TargetMeasure & { page: string })[] = [];
    const staffPages = [
      `/manage/people/${own.person.id}`,
      `/manage/people/${own.person.id}/data`,
      `/manage/people/${own.person.id}/erase`,
      // Where the coordinators' mail after a caretaker's erasure leads.
      "/manage/households?caretaker=none",
    ];
    for (const path of staffPages) {
      failures.push(...(await check(page, path, testInfo)));
    }
    await testInfo.attach("small-targets.json", { body: Buffer.from(JSON.stringify(failures, null, 2)), contentType: "application/json" });
    expect(failures, "controls smaller than 44×44 CSS px").toEqual([]);
  });
});
