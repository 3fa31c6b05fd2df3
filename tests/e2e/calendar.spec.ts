/**
 * A visitor (no account) browses the calendar: month, week and upcoming list, the category
 * filter, one session's page, then switches language and text size with the header buttons.
 * Dates are computed at the station (Asia/Shanghai), so the tests do not depend on the day.
 */
import type { Page } from "@playwright/test";
import { expect, fmt, goto, hydrated, localDate, nextSeededTaiChiDate, stationNow, test } from "./support";

const WEEKDAYS_ZH = ["一", "二", "三", "四", "五", "六", "日"];
const WEEKDAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

const periodTitle = (page: Page) => page.locator(".period-title");
/** Session links in the month grid and the cards of the day list below it (the whole visible calendar). */
const gridLinks = (page: Page) => page.locator(".month-grid .cell-sessions a");
const cards = (page: Page) => page.locator(".day-list .session-card");

test.describe("calendar for a visitor", () => {
  test("browses month, filter, week, list and a session in Chinese, then switches to English for good", async ({ page, context }) => {
    const now = stationNow();
    const thisMonth = now.startOf("month");
    const nextMonth = thisMonth.plus({ months: 1 });

    // --- Month view, Chinese by default -----------------------------------------------
    await goto(page, "/calendar");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("活动日历");
    await expect(page.locator(".month-grid thead th")).toHaveText(WEEKDAYS_ZH);
    await expect(periodTitle(page)).toHaveText(fmt.month(thisMonth, "zh-CN"));
    await expect(periodTitle(page)).toHaveText(/^\d{4}年\d{1,2}月$/);
    await expect(page.getByRole("link", { name: "月", exact: true })).toHaveAttribute("aria-current", "page");

    // The seeded weekday tai chi class: in this month unless the month has no weekday left.
    const taiChiDay = nextSeededTaiChiDate(now);
    const taiChiInThisMonth = taiChiDay.hasSame(now, "month");
    if (taiChiInThisMonth) {
      const day = page.locator(`#d-${taiChiDay.toISODate()}`);
      await expect(day.getByRole("heading")).toHaveText(fmt.dayHeading(taiChiDay, "zh-CN"));
      await expect(day.locator(".session-card", { hasText: "太极拳晨练" })).toContainText("07:30–08:30");
      await expect(gridLinks(page).filter({ hasText: "07:30 太极拳晨练" }).first()).toBeVisible();
    }

    // --- Next month and back --------------------------------------------------------------
    await page.getByRole("link", { name: "下个月" }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]month=${nextMonth.toFormat("yyyy-MM")}`));
    await expect(periodTitle(page)).toHaveText(fmt.month(nextMonth, "zh-CN"));
    // Next month is entirely ahead and inside the horizon: the whole regular programme shows.
    for (const title of ["太极拳晨练", "健身操", "公益义诊", "家庭健康公益讲堂", "亲子活动"]) {
      await expect(cards(page).filter({ hasText: title }).first(), `${title} in ${nextMonth.toFormat("yyyy-MM")}`).toBeVisible();
    }
    if (!taiChiInThisMonth) {
      await expect(page.locator(`#d-${taiChiDay.toISODate()} .session-card`, { hasText: "太极拳晨练" })).toBeVisible();
    }
    await page.getByRole("link", { name: "上个月" }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]month=${thisMonth.toFormat("yyyy-MM")}`));
    await expect(periodTitle(page)).toHaveText(fmt.month(thisMonth, "zh-CN"));

    // --- Category filter: 义诊 shows free clinic sessions only ---------------------------------
    await page.getByLabel("活动类别").selectOption({ label: "义诊" });
    await page.getByRole("button", { name: "筛选" }).click();
    await expect(page).toHaveURL(/[?&]category=clinic\b/);
    await expect(page.getByLabel("活动类别")).toHaveValue("clinic");
    for (const text of await gridLinks(page).allTextContents()) expect(text).toContain("公益义诊");
    for (const text of await cards(page).allTextContents()) expect(text).toContain("公益义诊");
    // The month links keep the filter: next month has its first-Saturday clinic, and only that.
    await page.getByRole("link", { name: "下个月" }).click();
    await expect(page).toHaveURL(/[?&]category=clinic\b/);
    await expect(periodTitle(page)).toHaveText(fmt.month(nextMonth, "zh-CN"));
    const firstSaturday = nextMonth.plus({ days: (6 - nextMonth.weekday + 7) % 7 });
    await expect(page.locator(`#d-${firstSaturday.toISODate()} .session-card`)).toHaveCount(1);
    await expect(page.locator(`#d-${firstSaturday.toISODate()} .session-card`)).toContainText("公益义诊");
    await expect(page.locator(`#d-${firstSaturday.toISODate()} .session-card`)).toContainText("08:30–11:30");
    await expect(page.locator(`#d-${firstSaturday.toISODate()} .session-card .session-meta`)).toContainText("义诊 · 驿站医疗保健区");
    await expect(cards(page)).toHaveCount(1);
    await expect(gridLinks(page).filter({ hasNotText: "公益义诊" })).toHaveCount(0);
    await expect(page.getByText("太极拳晨练")).toHaveCount(0);
    // The view tabs keep it too.
    await expect(page.getByRole("link", { name: "周", exact: true })).toHaveAttribute("href", "/calendar/week?category=clinic");
    // Back to all categories, still on the month being looked at.
    await page.getByLabel("活动类别").selectOption({ label: "全部类别" });
    await page.getByRole("button", { name: "筛选" }).click();
    await expect(page).toHaveURL(/\/calendar\?month=\d{4}-\d{2}&category=$/);
    await expect(page.getByLabel("活动类别")).toHaveValue("");

    // --- Week view ------------------------------------------------------------------------
    await page.getByRole("link", { name: "周", exact: true }).click();
    await expect(page).toHaveURL(/\/calendar\/week/);
    await expect(page.getByRole("link", { name: "周", exact: true })).toHaveAttribute("aria-current", "page");
    const monday = now.startOf("week");
    await expect(periodTitle(page)).toHaveText(`${fmt.dayHeading(monday, "zh-CN")} – ${fmt.dayHeading(monday.plus({ days: 6 }), "zh-CN")}`);
    await page.getByRole("link", { name: "下一周" }).click();
    const nextMonday = monday.plus({ weeks: 1 });
    await expect(page).toHaveURL(new RegExp(`date=${nextMonday.toISODate()}`));
    await expect(periodTitle(page)).toHaveText(`${fmt.dayHeading(nextMonday, "zh-CN")} – ${fmt.dayHeading(nextMonday.plus({ days: 6 }), "zh-CN")}`);
    // A whole week ahead: tai chi Monday to Friday, exercise class on Tuesday and Thursday.
    // Counted by title: a card also names its category (健身操), which another exercise may share.
    const titled = (title: string) => cards(page).filter({ has: page.locator(".session-title", { hasText: title }) });
    await expect(titled("太极拳晨练")).toHaveCount(5);
    await expect(titled("健身操")).toHaveCount(2);
    await expect(page.locator(`#d-${nextMonday.toISODate()} h2`)).toHaveText(fmt.dayHeading(nextMonday, "zh-CN"));
    await page.getByRole("link", { name: "上一周" }).click();
    await expect(periodTitle(page)).toHaveText(new RegExp(`^${fmt.dayHeading(monday, "zh-CN")}`));

    // --- Upcoming list ----------------------------------------------------------------------
    await page.getByRole("link", { name: "近期活动" }).click();
    await expect(page).toHaveURL(/\/calendar\/list/);
    await expect(page.getByRole("link", { name: "近期活动" })).toHaveAttribute("aria-current", "page");
    const headings = page.locator(".day-list .day-heading");
    await expect(headings.first()).toBeVisible();
    // Two weeks ahead: at least the ten weekday tai chi classes, each with its places left.
    expect(await cards(page).filter({ hasText: "太极拳晨练" }).count()).toBeGreaterThanOrEqual(9);
    await expect(cards(page).filter({ hasText: "太极拳晨练" }).first()).toContainText("剩余 30 个名额");
    const firstTaiChi = cards(page).filter({ hasText: "太极拳晨练" }).first();
    const sectionId = await firstTaiChi.locator("xpath=ancestor::section[1]").getAttribute("id");
    const sessionDay = localDate(sectionId!.replace(/^d-/, ""));
    expect(sessionDay.toISODate()).toBe(taiChiDay.toISODate());

    // --- A session's page ---------------------------------------------------------------------
    await firstTaiChi.getByRole("link").click();
    await expect(page).toHaveURL(/\/sessions\/\d+$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("太极拳晨练");
    await expect(page.locator(".eyebrow")).toHaveText("太极拳");
    const facts = page.locator("dl.facts");
    const fact = (term: string) => facts.locator(`dt:text-is("${term}") + dd`);
    await expect(facts.locator("dt")).toHaveText(["时间", "地点", "负责人", "剩余名额"]);
    await expect(fact("时间")).toHaveText(`${fmt.dayLong(sessionDay, "zh-CN")} 07:30–08:30`);
    await expect(fact("地点")).toHaveText("社区广场（雨天在驿站文体活动区）");
    await expect(fact("负责人")).toHaveText(/^文体活动组 \S+/);
    await expect(fact("剩余名额")).toHaveText("30 / 30");
    await expect(page.getByRole("heading", { name: "活动介绍" })).toBeVisible();
    await expect(page.getByRole("link", { name: "修改这一场" })).toHaveCount(0);
    const sessionUrl = page.url();

    // --- Switch to English with the header button ----------------------------------------------
    const toEnglish = page.getByRole("button", { name: "English" });
    await expect(toEnglish).toHaveAttribute("lang", "en");
    await toEnglish.click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    expect(page.url()).toBe(sessionUrl);
    await expect(page.locator(".eyebrow")).toHaveText("Tai chi");
    await expect(facts.locator("dt")).toHaveText(["When", "Where", "Led by", "Places left"]);
    await expect(fact("When")).toHaveText(`${fmt.dayLong(sessionDay, "en")} 07:30–08:30`);
    await expect(fact("Places left")).toHaveText("30 / 30");
    await expect(page.getByRole("heading", { name: "About" })).toBeVisible();
    await expect(page.getByRole("button", { name: "中文" })).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("button", { name: "Large text" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
    const prefs = (await context.cookies()).find((c) => c.name === "hearth_prefs");
    expect(prefs, "the language choice is kept in a cookie").toBeTruthy();
    expect(JSON.parse(Buffer.from(decodeURIComponent(prefs!.value), "base64").toString())).toMatchObject({ locale: "en" });
    expect(prefs!.expires, "the cookie outlives the browser session").toBeGreaterThan(Date.now() / 1000 + 300 * 24 * 3600);

    // Another page: the calendar, by the session's own link back.
    await page.getByRole("link", { name: "Back to the calendar" }).click();
    await expect(page).toHaveURL(new RegExp(`/calendar\\?month=${sessionDay.toFormat("yyyy-MM")}`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Activity calendar");
    await expect(page.locator(".month-grid thead th")).toHaveText(WEEKDAYS_EN);
    await expect(periodTitle(page)).toHaveText(fmt.month(sessionDay, "en"));
    await expect(page.getByRole("navigation", { name: "Calendar views" }).getByRole("link")).toHaveText(["Month", "Week", "Upcoming"]);
    await expect(page.getByLabel("Category")).toContainText("Free clinic");
    await expect(page.locator(`#d-${sessionDay.toISODate()} h2`)).toHaveText(fmt.dayHeading(sessionDay, "en"));
    await expect(page.locator(`#d-${sessionDay.toISODate()} .session-card`).filter({ hasText: "太极拳晨练" })).toContainText("Places left: 30");

    // A reload (a fresh request carrying only the cookie) stays in English.
    await page.reload();
    await hydrated(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Activity calendar");

    // And a page typed into the address bar, too.
    await goto(page, "/login");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
    await expect(page.getByLabel("Mobile number or email")).toBeVisible();
    await expect(page.getByLabel("Password")).toBeVisible();

    // Switching back restores Chinese the same way.
    await page.getByRole("button", { name: "中文" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("登录");
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("登录");
  });

  test("the large-text toggle raises the root font size from 18px to 22px, and it stays", async ({ page }) => {
    const rootFontSize = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    await goto(page, "/calendar");
    expect(await rootFontSize()).toBe("18px");
    const toggle = page.getByRole("button", { name: "大字模式" });
    await expect(toggle).toHaveAttribute("aria-pressed", "false");
    await toggle.click();

    await expect(page.locator("html")).toHaveClass(/\blarge-text\b/);
    expect(await rootFontSize()).toBe("22px");
    const pressed = page.getByRole("button", { name: "标准字号" });
    await expect(pressed).toHaveAttribute("aria-pressed", "true");
    // Text sized in rem follows: the page heading is 1.6rem.
    expect(await page.getByRole("heading", { level: 1 }).evaluate((h) => getComputedStyle(h).fontSize)).toBe("35.2px");

    // It persists across navigation and reloads, and keeps the language.
    await page.getByRole("link", { name: "近期活动" }).click();
    await expect(page).toHaveURL(/\/calendar\/list/);
    expect(await rootFontSize()).toBe("22px");
    await page.reload();
    await hydrated(page);
    expect(await rootFontSize()).toBe("22px");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    expect(await rootFontSize()).toBe("22px");
    await expect(page.getByRole("button", { name: "Normal text" })).toHaveAttribute("aria-pressed", "true");
    await goto(page, "/login");
    expect(await rootFontSize()).toBe("22px");

    // And it switches back.
    await page.getByRole("button", { name: "Normal text" }).click();
    await expect(page.locator("html")).not.toHaveClass(/\blarge-text\b/);
    expect(await rootFontSize()).toBe("18px");
    await expect(page.getByRole("button", { name: "Large text" })).toHaveAttribute("aria-pressed", "false");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });
});
