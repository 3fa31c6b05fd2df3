/**
 * Helpers for signups.spec.ts: finding a seeded session whose signup window is open now,
 * making a small one-off session through the series editor, and booking for someone on the
 * 代人报名 page. Everything is computed from "now" at the station, so the specs do not
 * depend on the day they run.
 */
import type { Locator, Page } from "@playwright/test";
import type { DateTime } from "luxon";
import { expect, goto, hydrated, stationNow } from "./support";

/** The <dd> after the <dt> with this text in the session page's facts. */
export const fact = (page: Page, term: string) => page.locator("dl.facts").locator(`xpath=dt[normalize-space(.)="${term}"]/following-sibling::dd[1]`);

/** "剩余名额" (or "Places left") as a number ("28 / 30" → 28; "已满" or "Full" → 0). */
export async function placesLeft(page: Page): Promise<number> {
  const english = (await page.locator("html").getAttribute("lang")) === "en";
  const text = ((await fact(page, english ? "Places left" : "剩余名额").textContent()) ?? "").trim();
  if (text === (english ? "Full" : "已满")) return 0;
  const match = /^(\d+) \/ \d+$/.exec(text);
  expect(match, `places left reads "${text}"`).not.toBeNull();
  return Number(match![1]);
}

/** The session card with exactly this title on a day of the week view. */
export const dayCard = (page: Page, day: DateTime, title: string) =>
  page.locator(`#d-${day.toISODate()} .session-card`).filter({ has: page.locator(".session-title").getByText(title, { exact: true }) });

/** The id of the session with this title on this day, read from the week view. */
export async function sessionIdOn(page: Page, day: DateTime, title: string): Promise<number> {
  await goto(page, `/calendar/week?date=${day.toISODate()}`);
  const card = dayCard(page, day, title);
  await expect(card, `${title} on ${day.toISODate()}`).toHaveCount(1);
  const href = await card.getByRole("link").getAttribute("href");
  expect(href).toMatch(/^\/sessions\/\d+$/);
  return Number(href!.split("/").pop());
}

/**
 * The seeded weekday tai chi (07:30, signups open 7 days ahead, cancellable until 2 hours
 * before) on the days from today on where the viewer can sign up now: the window is open,
 * the session is far enough ahead to still cancel, and the viewer has no signup yet. The
 * caller gets the first one, already open in `page`.
 */
export async function openTaiChiSessionWithRoom(page: Page, minHoursAhead = 3, signUpLabel = "报名"): Promise<{ id: number; day: DateTime }> {
  const now = stationNow();
  for (let day = now.startOf("day"); day < now.plus({ days: 7 }); day = day.plus({ days: 1 })) {
    const start = day.set({ hour: 7, minute: 30 });
    if (day.weekday > 5 || start < now.plus({ hours: minHoursAhead }) || start.minus({ days: 7 }) > now) continue;
    const id = await sessionIdOn(page, day, "太极拳晨练");
    await goto(page, `/sessions/${id}`);
    const panel = page.getByRole("region", { name: signUpLabel });
    if ((await panel.getByRole("button", { name: signUpLabel, exact: true }).count()) === 1 && (await placesLeft(page)) >= 2) return { id, day };
  }
  throw new Error("no seeded tai chi session open for signups in the coming week");
}

/** A unique suffix for names and titles made by a test. */
export const unique = () => `${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;

/**
 * Creates a one-off activity (category 咨询, party size 1, signups open 14 days ahead)
 * through the series editor, two days from now at 10:00, and returns its session's id and
 * day. The page must be signed in as staff.
 */
export async function createOneOffSession(page: Page, options: { title: string; capacity: number; daysAhead?: number }) {
  const day = stationNow()
    .startOf("day")
    .plus({ days: options.daysAhead ?? 2 });
  await goto(page, "/manage/activities/new");
  await page.getByLabel("活动类别").selectOption({ label: "咨询" });
  await page.getByLabel("活动名称").fill(options.title);
  await page.getByLabel("地点").fill("驿站日间照料区");
  await page.getByLabel("负责人").fill("驿站社工");
  await page.getByLabel("名额（人）").fill(String(options.capacity));
  await page.getByLabel("时长（分钟）").fill("60");
  await page.getByLabel("开始日期").fill(day.toISODate()!);
  await page.getByLabel("开始时间").fill("10:00");
  await page.locator("#f-repeat").selectOption("none");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page).toHaveURL(/\/manage\/activities\/\d+\?saved=1$/);
  await hydrated(page);
  return { id: await sessionIdOn(page, day, options.title), day };
}

/**
 * Opens 代人报名 or the attendee list and checks it is that page: a page that shows something
 * else fails here within seconds, not at the next click after a minute's wait.
 */
export async function openBookPage(page: Page, sessionId: number) {
  await goto(page, `/manage/sessions/${sessionId}/book`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^代人报名：/);
}
export async function openAttendees(page: Page, sessionId: number) {
  await goto(page, `/manage/sessions/${sessionId}/attendees`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^报名名单：/);
}

/** The 代人报名 page's search: results are list items with the person's name in <strong>. */
export async function search(page: Page, query: string) {
  await page.getByLabel("按姓名或电话查找").fill(query);
  await page.getByRole("button", { name: "查找", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(query).replace(/%20/g, "(\\+|%20)")}`));
  await hydrated(page);
}

/** Search results that can still be booked (not yet on this session). */
export const bookableResults = (page: Page): Locator =>
  page.locator("ul.bookings-list > li").filter({ has: page.getByRole("button", { name: /^为 .+ 报名$/ }) });

/** On the 代人报名 page: finds an unbooked person by `query` and books them; returns the name. */
export async function bookFirstFound(page: Page, query: string): Promise<{ name: string; personId: number }> {
  await search(page, query);
  const result = bookableResults(page).first();
  await expect(result).toBeVisible();
  const name = (await result.locator("strong").textContent())!.trim();
  const personId = Number(await result.locator('input[name="personId"]').getAttribute("value"));
  await result.getByRole("button", { name: `为 ${name} 报名` }).click();
  await expect(page.getByRole("status")).toHaveText(new RegExp(`^已为 ${name} 报名：`));
  return { name, personId };
}

/** On the 代人报名 page: registers a caller or walk-in and books them. */
export async function registerAndBook(page: Page, person: { fullName: string; phone?: string; birthYear?: string; needs?: string }) {
  await page.getByLabel("姓名", { exact: true }).fill(person.fullName);
  if (person.phone) await page.getByLabel("电话（选填）").fill(person.phone);
  if (person.birthYear) await page.getByLabel("出生年份（选填）").fill(person.birthYear);
  if (person.needs) {
    await page.getByLabel("需要照顾的情况（选填，只有工作人员能看到）").fill(person.needs);
    // Needs are kept only with the person's consent (ADR 22): the caller agreed on the phone.
    await page.getByLabel("本人同意保存需要照顾的情况吗？").selectOption("phone");
  }
  await page.getByRole("button", { name: "登记并报名" }).click();
}

/** The rows of the attendee list's confirmed table and waitlist table. */
export const confirmedTable = (page: Page) => page.locator("table.data-table").filter({ has: page.getByRole("columnheader", { name: "签到" }) });
export const waitlistTable = (page: Page) => page.locator("table.data-table").filter({ has: page.getByRole("columnheader", { name: "候补顺序" }) });
export const attendeeRow = (table: Locator, name: string) =>
  table.getByRole("row").filter({ has: table.page().getByRole("rowheader", { name, exact: true }) });

/** A booking on a bookings page for this session that is still active (confirmed or waitlisted). */
export const activeBooking = (page: Page, sessionId: number) =>
  page
    .locator("li.booking")
    .filter({ has: page.locator(`a[href="/sessions/${sessionId}"]`) })
    .filter({ has: page.locator(".status-confirmed, .status-waitlisted") });
