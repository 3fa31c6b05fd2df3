/**
 * The consultation waitlist end to end, on a phone with large text (ADR 26): the demo resident
 * asks to be told when a legal-aid slot frees up; the coordinator cancels a booked legal-aid
 * appointment; the slot is held for her, 我的预约 says so first, and she books it from the
 * offer's page. Every target on the waitlist's form and the offer's page is at least 44 px, and
 * nothing scrolls sideways.
 */
import type { Browser, Page } from "@playwright/test";
import { DateTime } from "luxon";
import { DEMO, confirmAction, expect, goto, setPreferences, signIn, smallTargets, test } from "./support";

const PHONE = { width: 390, height: 844 };

async function phone(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ viewport: PHONE });
  await setPreferences(context, baseURL, { locale: "zh-CN", largeText: true });
  return context;
}

async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

test.describe("consultation waitlist", () => {
  test("a resident waits for legal aid, a cancellation holds the slot for her, and she books it", async ({ browser, baseURL }, testInfo) => {
    const residentContext = await phone(browser, baseURL!);
    const resident = await residentContext.newPage();
    await signIn(resident, DEMO.resident, "/consultations");
    await resident.getByRole("link", { name: "为“法律援助”选择时间" }).click();
    const panel = resident.locator(".consult-wait");
    await expect(panel.getByRole("heading", { name: "有空位时通知我" })).toBeVisible();
    expect(await smallTargets(resident, ".consult-wait")).toEqual([]);
    await expectNoSidewaysScroll(resident);
    await panel.getByRole("button", { name: "有空位时通知我" }).click();
    await expect(resident.getByRole("status")).toContainText("已登记候补");
    // The confirmation is where she is looking, by the heading, not below the day and time buttons.
    await expect(resident.getByRole("status")).toBeInViewport();
    await expect(panel).toContainText("您在候补名单上");
    await resident.screenshot({ path: testInfo.outputPath("waitlist-joined-phone.png"), fullPage: true });

    // The coordinator cancels the first booked legal-aid appointment of the coming Thursdays.
    const coordinatorContext = await phone(browser, baseURL!);
    const coordinator = await coordinatorContext.newPage();
    await signIn(coordinator, DEMO.coordinator, "/manage/consultations");
    let thursday = DateTime.now().setZone("Asia/Shanghai").plus({ days: 1 });
    while (thursday.weekday !== 4) thursday = thursday.plus({ days: 1 });
    let cancelled = false;
    for (let week = 0; week < 2 && !cancelled; week++, thursday = thursday.plus({ weeks: 1 })) {
      await goto(coordinator, `/manage/consultations/day?day=${thursday.toISODate()}`);
      const row = coordinator
        .locator("tr")
        .filter({ hasText: "法律援助" })
        .filter({ has: coordinator.locator("details.confirm-action") })
        .first();
      if ((await row.count()) === 0) continue;
      await confirmAction(row, "取消预约", "确认取消预约");
      cancelled = true;
    }
    expect(cancelled).toBe(true);

    // 我的预约: the held slot comes first, with until when; its page books it.
    await goto(resident, "/bookings");
    const offer = resident.locator(".consult-mine li").filter({ hasText: "有空位了，正为您保留" });
    await expect(offer).toContainText("法律援助");
    await expect(offer).toContainText("保留到");
    await offer.getByRole("link", { name: "确认或放弃这个空位" }).click();
    await expect(resident.getByRole("heading", { level: 1 })).toHaveText("咨询空位");
    expect(await smallTargets(resident, "main")).toEqual([]);
    await expectNoSidewaysScroll(resident);
    await resident.screenshot({ path: testInfo.outputPath("waitlist-offer-phone.png"), fullPage: true });
    await resident.getByRole("button", { name: "确认预约" }).click();
    await expect(resident.getByRole("status")).toContainText("预约好了。");
    await goto(resident, "/bookings");
    await expect(resident.locator(".consult-mine li").filter({ hasText: "法律援助" }).first()).not.toContainText("正为您保留");
    await residentContext.close();
    await coordinatorContext.close();
  });
});
