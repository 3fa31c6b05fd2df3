/**
 * A 390 × 844 phone in large-text mode (the residents' phone): the header is one line with a
 * 菜单 button that opens without losing the page, no page is wider than the screen, every
 * destructive action asks first, and anyone can subscribe to the calendar without signing in.
 */
import type { Page } from "@playwright/test";
import { confirmAction, DEMO, expect, goto, setPreferences, signIn, test } from "./support";
import { openTaiChiSessionWithRoom } from "./signup-support";

const WIDTH = 390;
test.use({ viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
test.beforeEach(async ({ context, baseURL }) => setPreferences(context, baseURL!, { locale: "zh-CN", largeText: true }));

/** The header is one line: the name and the menu button side by side, no taller than one 44 px target plus padding. */
async function expectOneLineHeader(page: Page, label: string) {
  const header = page.locator("header.site-header");
  const box = (await header.boundingBox())!;
  const brand = (await header.locator("a.brand").boundingBox())!;
  const menu = (await header.locator("summary.menu-button").boundingBox())!;
  expect(box.height, `${label}: header height`).toBeLessThanOrEqual(80);
  expect(Math.abs(brand.y + brand.height / 2 - (menu.y + menu.height / 2)), `${label}: name and menu on one line`).toBeLessThan(8);
  // The wide header's row is not shown on a phone.
  await expect(header.locator(".header-items")).toBeHidden();
}

async function expectFitsScreen(page: Page, label: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const wide = await page.evaluate(
    (limit) =>
      [...document.querySelectorAll("body *")]
        // Only what is drawn: a closed menu's items are laid out but not shown.
        .filter((el) => el.checkVisibility() && el.getBoundingClientRect().right > limit + 0.5)
        .slice(0, 8)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`),
    WIDTH,
  );
  expect(width, `${label}: scrollWidth ${width}; too wide: ${wide.join(", ")}`).toBeLessThanOrEqual(WIDTH);
}

async function checkPages(page: Page, paths: string[]) {
  for (const path of paths) {
    await goto(page, path);
    await expectOneLineHeader(page, path);
    await expectFitsScreen(page, path);
  }
}

test("public pages: one-line header, nothing wider than the screen", async ({ page }) => {
  await goto(page, "/calendar/list");
  const session = await page.locator(".day-list .session-card a").first().getAttribute("href");
  await checkPages(page, ["/calendar", "/calendar/week", "/calendar/list", "/calendar?category=tai-chi", session!, "/login", "/register"]);
});

test("resident pages, and the menu opens without leaving the page and takes you on", async ({ page }) => {
  await signIn(page, DEMO.resident, "/calendar");
  await checkPages(page, ["/calendar", "/bookings", "/account", "/shifts"]);
  await goto(page, "/calendar");
  const menu = page.locator("summary.menu-button");
  await expect(page.getByRole("navigation", { name: "主菜单" })).toBeHidden();
  await menu.click();
  const nav = page.getByRole("navigation", { name: "主菜单" });
  await expect(nav).toBeVisible();
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await nav.getByRole("link", { name: "我的预约" }).click();
  await expect(page).toHaveURL(/\/bookings$/);
  // The next page starts with the menu closed.
  await expect(page.getByRole("navigation", { name: "主菜单" })).toBeHidden();
});

test("coordinator pages fit a phone too", async ({ page }) => {
  await signIn(page, DEMO.coordinator, "/manage");
  await goto(page, "/calendar/list");
  const href = await page.locator(".day-list .session-card a").first().getAttribute("href");
  const id = href!.split("/").pop();
  await checkPages(page, ["/manage", "/manage/roster", `/manage/sessions/${id}`, `/manage/sessions/${id}/attendees`, `/manage/sessions/${id}/book`]);
});

test("the month view on a phone starts at today: past days are one link away", async ({ page }) => {
  await goto(page, "/calendar");
  const pastShown = await page
    .locator(".day-list > section.is-past")
    .evaluateAll((els) => els.filter((el) => getComputedStyle(el).display !== "none").length);
  expect(pastShown).toBe(0);
  const first = page.locator(".day-list > section:not(.is-past)").first();
  if ((await page.locator(".day-list > section.is-past").count()) > 0) {
    await expect(page.locator(".earlier-days a")).toBeVisible();
    // The list comes before the grid.
    expect((await first.boundingBox())!.y).toBeLessThan((await page.locator(".month-grid").boundingBox())!.y);
  }
});

test("cancelling a booking asks first and says what will happen; one tap changes nothing", async ({ page }) => {
  await signIn(page, DEMO.resident, "/calendar");
  const { id } = await openTaiChiSessionWithRoom(page);
  const panel = page.getByRole("region", { name: "报名" });
  await panel.getByRole("button", { name: "报名", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${id}\\?done=confirmed$`));
  // First tap: the step opens, the booking stands.
  await panel.locator("summary", { hasText: "取消报名" }).click();
  await expect(panel.locator(".confirm-what")).toHaveText("您的 1 人名额将释放给候补，取消后不能恢复。");
  await goto(page, `/sessions/${id}`);
  await expect(panel.getByRole("status")).toHaveText("您已报名，共 1 人。");
  // Second tap on the step's own button: done.
  await confirmAction(panel, "取消报名", "确认取消报名");
  await expect(page).toHaveURL(new RegExp(`/sessions/${id}\\?done=cancelled$`));
  await expect(panel.getByRole("button", { name: "报名", exact: true })).toBeVisible();
});

test("signing out everywhere asks first", async ({ page }) => {
  await signIn(page, DEMO.resident, "/account");
  await page.locator("summary", { hasText: "在所有设备上退出登录" }).click();
  await expect(page.locator(".confirm-what").filter({ hasText: "所有设备" })).toHaveText(
    "所有设备（包括这一台）都将退出登录，所有 API 令牌都会作废。",
  );
  await goto(page, "/account");
  await expect(page).toHaveURL(/\/account$/);
  // The calendar comes before the API tokens.
  const calendarTop = (await page.getByRole("heading", { name: "日历订阅" }).boundingBox())!.y;
  const tokensTop = (await page.getByRole("heading", { name: "API 令牌" }).boundingBox())!.y;
  expect(calendarTop).toBeLessThan(tokensTop);
  await confirmAction(page, "在所有设备上退出登录", "确认全部退出");
  await expect(page).toHaveURL(/\/login/);
});

test("anyone can subscribe to the calendar and add one session, without signing in", async ({ page, request }) => {
  await goto(page, "/calendar");
  const subscribe = page.locator("details.subscribe");
  await subscribe.locator("summary", { hasText: "加入日历 / 订阅日历" }).click();
  await expect(subscribe.getByRole("link", { name: "一键订阅" })).toHaveAttribute("href", /^webcal:\/\/.+\/feeds\/calendar\.ics$/);
  await expect(subscribe.locator(".subscribe-url a")).toHaveAttribute("href", /^http:\/\/.+\/feeds\/calendar\.ics$/);
  await expect(subscribe.getByRole("img", { name: /二维码/ })).toBeVisible();
  for (const phone of ["华为", "小米", "OPPO / vivo", "苹果手机", "Outlook"]) await expect(subscribe.locator(".how-to")).toContainText(phone);
  await expectFitsScreen(page, "calendar with the subscription open");

  await goto(page, "/calendar/list");
  const href = await page.locator(".day-list .session-card a").first().getAttribute("href");
  await goto(page, href!);
  const onSession = page.locator("details.subscribe");
  await onSession.locator("summary").click();
  await expect(onSession.getByRole("link", { name: "一键订阅" })).toHaveAttribute("href", /^webcal:\/\/.+\/feeds\/[a-z-]+\.ics$/);
  const ics = await request.get(`${href}.ics`);
  expect(ics.status()).toBe(200);
  expect(ics.headers()["content-type"]).toMatch(/^text\/calendar/);
  const body = await ics.text();
  expect(body.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  expect(body).not.toMatch(/ATTENDEE|王德福/);
});
