/**
 * Regression tests for faults these end-to-end tests once found in the calendar and the
 * editors (small targets, dead day links, English plurals, sideways scroll on a phone, a
 * filter that lost the period, an error not tied to its field).
 */
import type { Page } from "@playwright/test";
import { DEMO, expect, expectNoSeriousAxeViolations, goto, setPreferences, signIn, smallTargets, stationNow, test } from "./support";

const nextMonth = () => stationNow().startOf("month").plus({ months: 1 });

/** No control inside `scope` (the part of the page this issue is about) is under 44×44 px. */
async function expectNoSmallTargets(page: Page, scope: string) {
  await expect(page.locator(scope).locator("a, button").first()).toBeVisible();
  expect(await smallTargets(page, scope), `controls in ${scope} smaller than 44×44 CSS px`).toEqual([]);
}

test.describe("regressions", () => {
  test("month grid: the session links in the day cells are at least 44 px tall (desktop)", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await goto(page, `/calendar?month=${nextMonth().toFormat("yyyy-MM")}`);
    await expect(page.locator(".month-grid .cell-sessions a").first()).toBeVisible();
    await expectNoSmallTargets(page, ".month-grid .cell-sessions");
  });

  test("month grid: axe target-size (WCAG 2.2 2.5.8) passes on the session links in the day cells", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await goto(page, `/calendar?month=${nextMonth().toFormat("yyyy-MM")}`);
    await expectNoSeriousAxeViolations(page, "month calendar");
  });

  test("month grid on a phone: the per-day links are at least 44×44 px", async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 780 });
    await goto(page, `/calendar?month=${nextMonth().toFormat("yyyy-MM")}`);
    await expect(page.locator(".month-grid a.day-link").first()).toBeVisible();
    await expectNoSmallTargets(page, ".month-grid tbody");
  });

  test("month grid on a phone: every per-day link leads to that day's list", async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 780 });
    // Any month whose grid shows days of the following month that have sessions.
    await goto(page, `/calendar?month=${nextMonth().toFormat("yyyy-MM")}`);
    const hrefs = await page.locator(".month-grid a.day-link").evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
    expect(hrefs.length).toBeGreaterThan(0);
    // Days of this month point at their section here; neighbouring days at that month's page.
    const missing: string[] = [];
    for (const href of hrefs.filter((h) => h.startsWith("#"))) if ((await page.locator(href).count()) === 0) missing.push(href);
    expect(missing, "day links whose target is not on the page").toEqual([]);
    for (const href of hrefs.filter((h) => !h.startsWith("#"))) expect(href).toMatch(/^\?month=\d{4}-\d{2}.*#d-\d{4}-\d{2}-\d{2}$/);
  });

  test("month grid in English: one session reads '1 activity', not '1 activities'", async ({ page, context, baseURL }) => {
    await setPreferences(context, baseURL!, { locale: "en", largeText: false });
    await page.setViewportSize({ width: 360, height: 780 });
    await goto(page, `/calendar?month=${nextMonth().toFormat("yyyy-MM")}`);
    const labels = await page.locator(".month-grid a.day-link").evaluateAll((links) => links.map((a) => a.getAttribute("aria-label")!));
    expect(
      labels.some((c) => /: 1 activity$/.test(c)),
      "the month has a day with one session",
    ).toBe(true);
    expect(labels.filter((c) => /: 1 activities$/.test(c))).toEqual([]);
  });

  test("phone, English, large text: the calendar has no horizontal scroll", async ({ page, context, baseURL }) => {
    await setPreferences(context, baseURL!, { locale: "en", largeText: true });
    await page.setViewportSize({ width: 360, height: 780 });
    for (const path of ["/calendar", "/calendar/week", "/calendar/list"]) {
      await goto(page, path);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} scrollWidth`).toBeLessThanOrEqual(360);
    }
  });

  test("category filter keeps the month being viewed", async ({ page }) => {
    const month = nextMonth();
    await goto(page, `/calendar?month=${month.toFormat("yyyy-MM")}`);
    await page.getByLabel("活动类别").selectOption({ label: "义诊" });
    await page.getByRole("button", { name: "筛选" }).click();
    await expect(page).toHaveURL(/[?&]category=clinic\b/);
    await expect(page.locator(".period-title")).toHaveText(month.setLocale("zh-CN").toLocaleString({ year: "numeric", month: "long" }));
  });

  test("category filter keeps the week being viewed", async ({ page }) => {
    const nextWeek = stationNow().startOf("week").plus({ weeks: 1 });
    await goto(page, `/calendar/week?date=${nextWeek.toISODate()}`);
    await page.getByLabel("活动类别").selectOption({ label: "太极拳" });
    await page.getByRole("button", { name: "筛选" }).click();
    await expect(page).toHaveURL(/[?&]category=tai-chi\b/);
    await expect(page).toHaveURL(new RegExp(`date=${nextWeek.toISODate()}`));
  });

  test("series editor: the 'choose at least one day' error is tied to the weekday checkboxes", async ({ page, problems }) => {
    problems.allow(/HTTP 400 POST .*\/manage\/activities\/new/, "the refused form answers 400 by design");
    problems.allow(/console\.error .*Failed to load resource: the server responded with a status of 400/, "Chromium's log line for that 400");
    await signIn(page, DEMO.coordinator, "/manage/activities/new");
    await page.getByLabel("活动名称").fill("测试");
    await page.getByRole("button", { name: "保存", exact: true }).click();
    const group = page.getByRole("group", { name: "每周的哪几天" });
    await expect(group.locator(".field-error")).toHaveText("请至少选择一天。");
    const described = await group.evaluate((fieldset) => {
      const error = fieldset.querySelector(".field-error");
      if (!error?.id) return false;
      const refs = [fieldset, ...fieldset.querySelectorAll("input")].map((el) => el.getAttribute("aria-describedby") ?? "");
      return refs.some((r) => r.split(/\s+/).includes(error.id));
    });
    expect(described, "the fieldset or its checkboxes are described by the error").toBe(true);
  });

  test("manage list: the 修改 (edit) links are at least 44×44 px", async ({ page }) => {
    await signIn(page, DEMO.coordinator, "/manage");
    await expectNoSmallTargets(page, ".data-table");
  });
});
