/**
 * A coordinator builds the calendar: signs in, creates a weekly series with the editor
 * (preview first, then save), finds its sessions on the calendar and the manage list,
 * cancels one session and moves another. Also: the editor refuses a weekly series with no
 * weekday and says why, without losing what was typed.
 */
import type { Page } from "@playwright/test";
import { confirmAction, DEMO, DEMO_PASSWORD, expect, expectedWeeklyOccurrences, fmt, goto, hydrated, signIn, stationNow, test, zh } from "./support";

const fact = (page: Page, term: string) => page.locator("dl.facts").locator(`xpath=dt[normalize-space(.)="${term}"]/following-sibling::dd[1]`);

test.describe("series editor", () => {
  test("a coordinator creates a weekly tai chi series, then cancels one session and moves another", async ({ page }) => {
    const title = `太极拳提高班 ${Date.now()}`;
    const now = stationNow();
    const today = now.toISODate()!;

    // --- Sign in from the header ------------------------------------------------------------
    await goto(page, "/calendar");
    await page.getByRole("banner").getByRole("link", { name: "登录" }).click();
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fcalendar/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("登录");
    await page.getByLabel("手机号或邮箱").fill(DEMO.coordinator);
    await page.getByLabel("密码").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await expect(page).toHaveURL(/\/calendar$/);
    await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();

    // --- 活动管理 → 新建活动 ----------------------------------------------------------------------
    await page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "活动管理" }).click();
    await expect(page).toHaveURL(/\/manage$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("活动管理");
    await page.getByRole("link", { name: "新建活动" }).click();
    await expect(page).toHaveURL(/\/manage\/activities\/new$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("新建活动");
    await hydrated(page);

    await page.getByLabel("活动类别").selectOption({ label: "太极拳" });
    await page.getByLabel("活动名称").fill(title);
    await page.getByLabel("地点").fill("驿站文体活动区");
    await page.getByLabel("负责人").fill("文体活动组 陈师傅");
    await page.getByLabel(zh("series.capacity")).fill("20");
    await page.getByLabel(zh("series.duration")).fill("60");
    await expect(page.getByLabel("开始日期"), "the start date defaults to today at the station").toHaveValue(today);
    await page.getByLabel("开始日期").fill(today);
    await page.getByLabel("开始时间").fill("16:00");
    await expect(page.locator("#f-repeat")).toHaveValue("weekly");
    const weekdays = page.getByRole("group", { name: "每周的哪几天" });
    await expect(weekdays).toBeVisible();
    await expect(page.getByRole("group", { name: "每月的哪一天" }), "monthly options are hidden for a weekly series").toBeHidden();
    await weekdays.getByRole("checkbox", { name: "星期二" }).check();
    await weekdays.getByRole("checkbox", { name: "星期四" }).check();

    // --- Preview: the next 8 sessions, all Tuesday or Thursday at 16:00 ------------------------
    await page.getByRole("button", { name: "预览接下来的场次" }).click();
    const preview = page.locator("section.preview");
    await expect(preview.getByRole("heading", { name: "接下来的场次" })).toBeVisible();
    const items = preview.locator("ol > li");
    await expect(items).toHaveCount(8);
    for (const text of await items.allTextContents()) expect(text).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日星期[二四] 16:00–17:00$/);
    const expected = expectedWeeklyOccurrences([2, 4], 16, 0, 8);
    await expect(items).toHaveText(expected.map((d) => `${fmt.dayLong(d, "zh-CN")} 16:00–17:00`));
    // Nothing is saved by a preview, and the form keeps what was entered.
    await expect(page).toHaveURL(/\/manage\/activities\/new$/);
    await expect(page.getByLabel("活动名称")).toHaveValue(title);
    await expect(weekdays.getByRole("checkbox", { name: "星期二" })).toBeChecked();
    await expect(weekdays.getByRole("checkbox", { name: "星期四" })).toBeChecked();
    await expect(weekdays.getByRole("checkbox", { name: "星期一" })).not.toBeChecked();
    await expect(page.getByLabel("开始时间")).toHaveValue("16:00");

    // --- Save ---------------------------------------------------------------------------------
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await expect(page).toHaveURL(/\/manage\/activities\/\d+\?saved=1$/);
    const activityId = page.url().match(/activities\/(\d+)/)![1]!;
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(zh("series.editTitle", { title }));
    await expect(page.getByRole("status")).toHaveText("已保存。");
    await expect(page.getByLabel("活动名称")).toHaveValue(title);
    await expect(page.locator("section.preview ol > li")).toHaveText(expected.map((d) => `${fmt.dayLong(d, "zh-CN")} 16:00–17:00`));

    // --- The manage list ------------------------------------------------------------------------
    await page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "活动管理" }).click();
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: title }) });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole("cell")).toHaveText(["太极拳", "每周星期二、星期四 16:00", "20", /^\d+$/, "修改"]);
    const upcomingBefore = Number(await row.getByRole("cell").nth(3).textContent());
    expect(upcomingBefore).toBeGreaterThan(8);
    await expect(row.getByRole("link", { name: "修改" })).toHaveAttribute("href", `/manage/activities/${activityId}`);

    // --- The calendar: upcoming list and week view ---------------------------------------------------
    await page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "活动日历" }).click();
    await page.getByRole("link", { name: "近期活动" }).click();
    await expect(page).toHaveURL(/\/calendar\/list/);
    const ours = page.locator(".session-card").filter({ hasText: title });
    // Fourteen days hold two Tuesdays and two Thursdays; today's may already be over.
    const inTwoWeeks = expected.filter((d) => d < now.startOf("day").plus({ days: 14 }));
    await expect(ours).toHaveCount(inTwoWeeks.length);
    for (const card of await ours.all()) {
      await expect(card).toContainText("16:00–17:00");
      await expect(card).toContainText("太极拳 · 驿站文体活动区");
      await expect(card).toContainText("剩余 20 个名额");
    }
    await page.getByRole("link", { name: "周", exact: true }).click();
    await page.getByRole("link", { name: "下一周" }).click();
    const nextMonday = now.startOf("week").plus({ weeks: 1 });
    await expect(page).toHaveURL(new RegExp(`date=${nextMonday.toISODate()}`));
    await expect(page.locator(`#d-${nextMonday.plus({ days: 1 }).toISODate()} .session-card`).filter({ hasText: title })).toContainText(
      "16:00–17:00",
    );
    await expect(page.locator(`#d-${nextMonday.plus({ days: 3 }).toISODate()} .session-card`).filter({ hasText: title })).toContainText(
      "16:00–17:00",
    );
    await expect(page.locator(".session-card").filter({ hasText: title })).toHaveCount(2);

    // --- Cancel the first session ------------------------------------------------------------------
    const first = expected[0]!;
    await goto(page, `/calendar/week?date=${first.toISODate()}`);
    await page.locator(`#d-${first.toISODate()} .session-card`).filter({ hasText: title }).getByRole("link").click();
    await expect(page).toHaveURL(/\/sessions\/\d+$/);
    const firstUrl = new URL(page.url()).pathname;
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(fact(page, "时间")).toHaveText(`${fmt.dayLong(first, "zh-CN")} 16:00–17:00`);
    await expect(fact(page, "剩余名额")).toHaveText("20 / 20");
    await expect(page.getByRole("link", { name: "修改整个系列" })).toHaveAttribute("href", `/manage/activities/${activityId}`);
    await page.getByRole("link", { name: "修改这一场" }).click();
    await expect(page).toHaveURL(/\/manage\/sessions\/\d+$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(zh("editSession.title", { title }));
    await expect(page.getByLabel("日期")).toHaveValue(first.toISODate()!);
    await expect(page.getByLabel("开始时间")).toHaveValue("16:00");
    await expect(page.getByLabel("结束时间")).toHaveValue("17:00");
    await confirmAction(page, "取消这一场", "确认取消这一场", /^这一场将取消：已报名的 0 人和候补的 0 人都会收到取消通知/);
    await expect(page).toHaveURL(new RegExp(`${firstUrl}$`));
    await expect(page.getByRole("status")).toHaveText("这场活动已取消。");
    await expect(fact(page, "剩余名额")).toHaveText("已取消");
    // On the calendar it stays, marked as cancelled: the month grid, the day list, the week.
    await page.getByRole("link", { name: "返回日历" }).click();
    await expect(page).toHaveURL(new RegExp(`/calendar\\?month=${first.toFormat("yyyy-MM")}`));
    const cancelledCell = page.locator(".month-grid .cell-sessions li.is-cancelled").filter({ hasText: title });
    await expect(cancelledCell).toHaveCount(1);
    await expect(cancelledCell).toHaveText(`16:00 ${title} (已取消)`);
    const cancelledCard = page.locator(`#d-${first.toISODate()} .session-card`).filter({ hasText: title });
    await expect(cancelledCard).toHaveClass(/is-cancelled/);
    await expect(cancelledCard.locator(".badge-cancelled")).toHaveText("已取消");
    await expect(cancelledCard).not.toContainText("剩余");
    await goto(page, `/calendar/week?date=${first.toISODate()}`);
    await expect(page.locator(`#d-${first.toISODate()} .session-card`).filter({ hasText: title }).locator(".badge-cancelled")).toHaveText("已取消");
    // The manage list no longer counts it as upcoming.
    await goto(page, "/manage");
    await expect(row.getByRole("cell").nth(3)).toHaveText(String(upcomingBefore - 1));

    // --- Move the second session: a day later, 18:00–19:00 ---------------------------------------------
    const second = expected[1]!;
    const movedTo = second.plus({ days: 1 });
    await goto(page, `/calendar/week?date=${second.toISODate()}`);
    await page.locator(`#d-${second.toISODate()} .session-card`).filter({ hasText: title }).getByRole("link").click();
    await expect(fact(page, "时间")).toHaveText(`${fmt.dayLong(second, "zh-CN")} 16:00–17:00`);
    await page.getByRole("link", { name: "修改这一场" }).click();
    await page.getByLabel("日期").fill(movedTo.toISODate()!);
    await page.getByLabel("开始时间").fill("18:00");
    await page.getByLabel("结束时间").fill("19:00");
    await page.getByRole("button", { name: "保存修改" }).click();
    await expect(page).toHaveURL(/\/sessions\/\d+$/);
    await expect(page.getByRole("status")).toHaveText(zh("session.movedNotice"));
    await expect(fact(page, "时间")).toHaveText(`${fmt.dayLong(movedTo, "zh-CN")} 18:00–19:00`);
    await expect(fact(page, "剩余名额")).toHaveText("20 / 20");
    // The calendar shows it on its new day, at its new time, flagged as changed; not on the old day.
    await goto(page, `/calendar/week?date=${movedTo.toISODate()}`);
    const movedCard = page.locator(`#d-${movedTo.toISODate()} .session-card`).filter({ hasText: title });
    await expect(movedCard).toContainText("18:00–19:00");
    await expect(movedCard.locator(".badge-moved")).toHaveText("时间已调整");
    await expect(page.locator(`#d-${second.toISODate()} .session-card`).filter({ hasText: title })).toHaveCount(0);
    await goto(page, `/calendar?month=${movedTo.toFormat("yyyy-MM")}`);
    await expect(page.locator(`#d-${movedTo.toISODate()} .session-card`).filter({ hasText: title })).toContainText("18:00–19:00");
    await expect(page.locator(".month-grid .cell-sessions a").filter({ hasText: `18:00 ${title}` })).toHaveCount(1);

    // --- Sign out: the staff menu goes, and the manage pages ask for a sign-in again ---------------------
    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page).toHaveURL(/\/calendar$/);
    await expect(page.getByRole("banner").getByRole("link", { name: "登录" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "活动管理" })).toHaveCount(0);
    await goto(page, "/manage");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fmanage$/);
  });

  test("saving a weekly series with no weekday shows 请至少选择一天。 and keeps the form", async ({ page, problems }) => {
    // The refusal is an HTTP 400 on purpose: Chromium logs any 4xx fetch as a console error.
    problems.allow(/HTTP 400 POST .*\/manage\/activities\/new/, "the refused form answers 400 by design");
    problems.allow(/console\.error .*Failed to load resource: the server responded with a status of 400/, "Chromium's log line for that 400");
    const title = `没选星期的活动 ${Date.now()}`;
    await signIn(page, DEMO.coordinator, "/manage/activities/new");
    await page.getByLabel("活动名称").fill(title);
    await page.getByLabel("开始时间").fill("16:00");
    await expect(page.locator('input[name="weekdays"]:checked')).toHaveCount(0);

    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/manage/activities/new")),
      page.getByRole("button", { name: "保存", exact: true }).click(),
    ]);
    expect(response.status(), "a refused form is a 400, not a 500").toBe(400);
    await expect(page).toHaveURL(/\/manage\/activities\/new$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("新建活动");
    await expect(page.getByRole("alert")).toHaveText("请检查下面标出的内容。");
    const weekdays = page.getByRole("group", { name: "每周的哪几天" });
    await expect(weekdays.locator(".field-error")).toHaveText("请至少选择一天。");
    await expect(page.locator(".field-error")).toHaveCount(1);
    await expect(page.getByLabel("活动名称")).toHaveValue(title);
    await expect(page.getByLabel("开始时间")).toHaveValue("16:00");

    // Nothing was created.
    await goto(page, "/manage");
    await expect(page.getByRole("rowheader", { name: title })).toHaveCount(0);
  });
});
