/**
 * A 360 px wide phone: the month page and a session page fit the screen, with no
 * horizontal scrolling, and the month grid gives way to per-day counts and the day list.
 */
import type { Page } from "@playwright/test";
import { expect, goto, setPreferences, test } from "./support";

test.use({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const overflowing = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`),
  );

async function expectNoHorizontalScroll(page: Page, label: string) {
  const width = await scrollWidth(page);
  expect(width, `${label}: document scrollWidth ${width} px; wider than the screen: ${(await overflowing(page)).join(", ")}`).toBeLessThanOrEqual(
    360,
  );
}

const variants = [
  { locale: "zh-CN", largeText: false },
  { locale: "en", largeText: false },
  { locale: "zh-CN", largeText: true },
] as const;

for (const prefs of variants) {
  test(`no horizontal scroll on the month and session pages (${prefs.locale}${prefs.largeText ? ", large text" : ""})`, async ({
    page,
    context,
    baseURL,
  }) => {
    await setPreferences(context, baseURL!, prefs);
    await goto(page, "/calendar");
    expect(await page.evaluate(() => window.innerWidth)).toBe(360);
    await expectNoHorizontalScroll(page, "month page");
    // On a phone the grid shows per-day counts instead of titles; the list below has the detail.
    await expect(page.locator(".month-grid .cell-sessions").first()).toBeHidden();
    await goto(page, "/calendar?month=" + (await nextMonthParam(page)));
    await expectNoHorizontalScroll(page, "next month page");
    await expect(page.locator(".month-grid a.day-link").first()).toBeVisible();
    await expect(page.locator(".day-list .session-card").first()).toBeVisible();
    const href = await page.locator(".day-list .session-card a").first().getAttribute("href");
    await goto(page, href!);
    await expect(page.locator("dl.facts")).toBeVisible();
    await expectNoHorizontalScroll(page, "session page");
  });
}

async function nextMonthParam(page: Page) {
  const href = await page.locator(".period-nav a").last().getAttribute("href");
  return new URL(href!, "http://x").searchParams.get("month");
}
