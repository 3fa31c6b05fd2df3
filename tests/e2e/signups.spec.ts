/**
 * Signups end to end, in a real Chromium against the production build on the seeded demo
 * community:
 * - a resident (王德福) signs up for tai chi with a grandchild, finds it on 我的预约 and
 *   cancels there;
 * - a coordinator fills a small session by booking for others, books a phone caller onto the
 *   waitlist, cancels a confirmed signup and sees the caller promoted;
 * - the attendee list prints as a sign-in sheet and downloads as CSV;
 * - a caretaking member sees the bookings of a resident she looks after, and a resident
 *   gets a 404 for someone else's;
 * - axe and 44 px touch targets on the signup pages.
 * Dates come from "now" at the station (Asia/Shanghai), so the specs run on any day.
 */
import fs from "node:fs/promises";
import type { Page } from "@playwright/test";
import {
  confirmAction,
  DEMO,
  expect,
  expectNoSeriousAxeViolations,
  goto,
  hydrated,
  setPreferences,
  signIn,
  smallTargets,
  test,
  type TargetMeasure,
} from "./support";
import {
  activeBooking,
  attendeeRow,
  bookFirstFound,
  bookableResults,
  confirmedTable,
  createOneOffSession,
  fact,
  openAttendees,
  openBookPage,
  openTaiChiSessionWithRoom,
  placesLeft,
  registerAndBook,
  search,
  unique,
  waitlistTable,
} from "./signup-support";

const MEMBER = "member@fuwen.example";

const nav = (page: Page) => page.getByRole("navigation", { name: "主菜单" });
const panelOf = (page: Page) => page.getByRole("region", { name: "报名" });

test.describe("signups", () => {
  test("a resident signs up for tai chi with a grandchild, sees it on 我的预约 and cancels there", async ({ page }) => {
    await signIn(page, DEMO.resident, "/calendar");
    const { id } = await openTaiChiSessionWithRoom(page);
    const sessionPath = `/sessions/${id}`;
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("太极拳晨练");
    const before = await placesLeft(page);

    // --- The panel: one choice (how many people, default 1, up to the activity's 2) and one button.
    const panel = panelOf(page);
    const party = panel.getByLabel("人数（含本人）");
    await expect(party).toHaveValue("1");
    await expect(party.locator("option")).toHaveText(["1 人", "2 人"]);
    await expect(panel.getByText("带孙辈或家人一起来，请一起算上。")).toBeVisible();
    await party.selectOption("2");
    await panel.getByRole("button", { name: "报名", exact: true }).click();

    // --- Confirmation: 报名成功！, the panel says 2 people, two places fewer.
    await expect(page).toHaveURL(new RegExp(`${sessionPath}\\?done=confirmed$`));
    await expect(page.locator("p.notice-ok").filter({ hasText: "报名成功！" })).toHaveAttribute("role", "status");
    await expect(panel.getByRole("status")).toHaveText("您已报名，共 2 人。");
    await expect(panel.getByText(/^.+ 之前可以取消。$/)).toBeVisible();
    await expect(panel.locator("summary", { hasText: "取消报名" })).toBeVisible();
    await expect(panel.getByRole("button", { name: "报名", exact: true })).toHaveCount(0);
    expect(await placesLeft(page)).toBe(before - 2);

    // --- 我的预约: the booking with 2 人.
    await nav(page).getByRole("link", { name: "我的预约" }).click();
    await expect(page).toHaveURL(/\/bookings$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的预约");
    const booking = activeBooking(page, id);
    await expect(booking).toHaveCount(1);
    await expect(booking.getByRole("link")).toHaveText("太极拳晨练");
    await expect(booking).toContainText("已报名 · 2 人");
    await expect(booking).toContainText("07:30–08:30");
    // His own booking names no booker.
    await expect(booking).not.toContainText("代报名");

    // --- Cancel there.
    // It asks first, saying whose places go to the waitlist; nothing happens on one tap.
    const summary = booking.locator("summary", { hasText: "取消报名" });
    await summary.click();
    await expect(activeBooking(page, id)).toHaveCount(1);
    // Tapped again it closes, still with nothing changed; confirmAction then opens it and confirms.
    await summary.click();
    await expect(activeBooking(page, id)).toHaveCount(1);
    await confirmAction(booking, "取消报名", "确认取消报名", "您的 2 人名额将释放给候补，取消后不能恢复。");
    await expect(page.getByRole("status")).toHaveText("已取消报名。");
    // No active booking for the session is left among the upcoming ones, and nothing to cancel.
    // (A cancelled booking of a session still to come stays listed, marked 已取消, without a button.)
    await expect(activeBooking(page, id)).toHaveCount(0);
    const upcoming = page.locator("h2:text-is('即将参加') + ul li.booking").filter({ has: page.locator(`a[href="${sessionPath}"]`) });
    await expect(upcoming.getByRole("button")).toHaveCount(0);

    // --- The places are back, and the panel offers signing up again.
    await goto(page, sessionPath);
    expect(await placesLeft(page)).toBe(before);
    await expect(panelOf(page).getByRole("button", { name: "报名", exact: true })).toBeVisible();
  });

  test("a coordinator fills a session, books a phone caller onto the waitlist, cancels a place and sees the caller promoted", async ({ page }) => {
    const suffix = unique();
    const title = `用药咨询 ${suffix}`;
    const caller = `来电居民${suffix}`;
    await signIn(page, DEMO.coordinator, "/manage");
    const { id } = await createOneOffSession(page, { title, capacity: 2 });

    // --- From the session page to the attendee list, then 代人报名.
    await goto(page, `/sessions/${id}`);
    await expect(fact(page, "剩余名额")).toHaveText("2 / 2");
    await page.getByRole("link", { name: "报名名单" }).click();
    await expect(page).toHaveURL(new RegExp(`/manage/sessions/${id}/attendees$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`报名名单：${title}`);
    await expect(page.getByText("还没有人报名。")).toBeVisible();
    await page.getByRole("link", { name: "代人报名" }).click();
    await expect(page).toHaveURL(new RegExp(`/manage/sessions/${id}/book$`));
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`代人报名：${title}`);
    await expect(page.getByText(/剩余 2 个名额$/)).toBeVisible();

    // --- Fill it: one demo resident found by name, one found by phone number.
    const first = await bookFirstFound(page, "陈");
    await expect(page.getByRole("status")).toHaveText(`已为 ${first.name} 报名：已报名`);
    await expect(page.getByText(/剩余 1 个名额$/)).toBeVisible();
    // The next one by the phone number the search shows (phone numbers are unique).
    await search(page, "林");
    const candidate = bookableResults(page).first();
    const meta = (await candidate.locator(".session-meta").textContent()) ?? "";
    const phone = /1\d{10}/.exec(meta.replace(/[\s-]/g, ""))?.[0];
    expect(phone, `a phone number among "${meta}"`).toBeTruthy();
    await search(page, phone!);
    await expect(page.locator("ul.bookings-list > li")).toHaveCount(1);
    const second = await bookFirstFound(page, phone!);
    await expect(page.getByText(/剩余 0 个名额$/)).toBeVisible();
    // Searching again shows the booked person as booked, with no button.
    await search(page, first.name);
    await expect(page.locator("ul.bookings-list > li").filter({ hasText: first.name }).first().locator(".status-badge")).toHaveText("已报名");

    // --- A phone caller, registered inline: the session is full, so the waitlist, position 1.
    await registerAndBook(page, { fullName: caller, phone: "139 0591 2233", birthYear: "1949", needs: "听力不好，请大声说话" });
    await expect(page.getByRole("status")).toHaveText(`已为 ${caller} 报名：候补第 1 位`);
    // Found again by the number as it was typed; stored as digits only.
    await search(page, "139 0591 2233");
    const callerFound = page.locator("ul.bookings-list > li").filter({ has: page.locator("strong", { hasText: caller }) });
    await expect(callerFound).toContainText("13905912233 · 1949 年生");
    await expect(callerFound.locator(".status-badge")).toHaveText("候补第 1 位");

    // --- The attendee list: two confirmed, the caller waiting, booked by the coordinator.
    await page.getByRole("link", { name: "报名名单" }).click();
    await expect(page).toHaveURL(new RegExp(`/manage/sessions/${id}/attendees$`));
    await hydrated(page);
    await expect(page.getByText(/名额 2\/2$/)).toBeVisible();
    await expect(page.getByRole("heading", { name: "已报名（2 人）" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "候补名单（1 人）" })).toBeVisible();
    const confirmed = confirmedTable(page);
    const waitlist = waitlistTable(page);
    await expect(confirmed.locator("tbody tr")).toHaveCount(2);
    await expect(attendeeRow(confirmed, first.name)).toHaveCount(1);
    await expect(attendeeRow(confirmed, second.name)).toHaveCount(1);
    await expect(attendeeRow(confirmed, first.name).getByRole("cell").nth(3)).toHaveText("黄晓燕");
    const waiting = attendeeRow(waitlist, caller);
    await expect(waiting.getByRole("cell")).toHaveText(["1", "1", "13905912233", "黄晓燕", "取消"], { useInnerText: true });

    // --- Cancel a confirmed place: the caller moves up, the waitlist is empty.
    await confirmAction(attendeeRow(confirmed, first.name), "取消", "确认取消报名", `${first.name}的 1 人名额将释放给候补，取消后不能恢复。`);
    await expect(page.getByRole("heading", { name: "候补名单（1 人）" })).toHaveCount(0);
    await expect(waitlistTable(page)).toHaveCount(0);
    await expect(confirmed.locator("tbody tr")).toHaveCount(2);
    await expect(attendeeRow(confirmed, first.name)).toHaveCount(0);
    await expect(attendeeRow(confirmed, caller)).toHaveCount(1);
    await expect(attendeeRow(confirmed, caller).getByRole("cell").nth(2)).toHaveText("听力不好，请大声说话");
    await expect(page.getByText(/名额 2\/2$/)).toBeVisible();

    // --- The caller's bookings page says so, and who booked.
    await attendeeRow(confirmed, caller).getByRole("link", { name: caller }).click();
    await expect(page).toHaveURL(/\/people\/\d+\/bookings$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${caller} 的预约`);
    const callerBooking = page.locator("li.booking").filter({ has: page.locator(`a[href="/sessions/${id}"]`) });
    await expect(callerBooking).toContainText("已报名 · 1 人");
    await expect(callerBooking).toContainText("由 黄晓燕 代报名");
  });

  test("the attendee list prints as a sign-in sheet and downloads as CSV (UTF-8 with BOM)", async ({ page }) => {
    const suffix = unique();
    const title = `血压测量 ${suffix}`;
    const walkIn = `到访居民${suffix}`;
    const needs = '行动不便, 坐"轮椅"';
    await signIn(page, DEMO.coordinator, "/manage");
    const { id } = await createOneOffSession(page, { title, capacity: 5 });
    await openBookPage(page, id);
    const found = await bookFirstFound(page, "黄");
    await registerAndBook(page, { fullName: walkIn, phone: "13805981234", needs });
    await expect(page.getByRole("status")).toHaveText(`已为 ${walkIn} 报名：已报名`);

    await openAttendees(page, id);
    const sheet = confirmedTable(page);
    await expect(sheet.locator("tbody tr")).toHaveCount(2);

    // --- On screen: the header, the buttons and the cancel column are there.
    const header = page.locator("header.site-header");
    const printButton = page.getByRole("button", { name: "打印签到表" });
    const csvLink = page.getByRole("link", { name: "下载 CSV 表格" });
    const bookLink = page.getByRole("link", { name: "代人报名" });
    for (const el of [header, printButton, csvLink, bookLink]) await expect(el).toBeVisible();
    await expect(sheet.locator("summary", { hasText: "取消" }).first()).toBeVisible();

    // --- In print: no header, menu, footer or buttons; the table with its 签到 column.
    await page.emulateMedia({ media: "print" });
    await expect(header).toBeHidden();
    await expect(page.getByRole("navigation", { name: "主菜单" })).toBeHidden();
    await expect(page.locator("footer.site-footer")).toBeHidden();
    for (const el of [printButton, csvLink, bookLink]) await expect(el).toBeHidden();
    // Hidden buttons leave the accessibility tree, so count them by CSS.
    await expect(sheet.locator("summary", { hasText: "取消" })).toHaveCount(2);
    for (const button of await sheet.locator("summary", { hasText: "取消" }).all()) await expect(button).toBeHidden();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`报名名单：${title}`);
    await expect(sheet).toBeVisible();
    await expect(sheet.getByRole("columnheader", { name: "签到" })).toBeVisible();
    await expect(sheet.locator("thead th:visible")).toHaveText(["姓名", "人数", "电话", "需要照顾", "代报名人", "签到"]);
    await expect(attendeeRow(sheet, walkIn)).toBeVisible();
    await expect(attendeeRow(sheet, found.name)).toBeVisible();
    const signature = attendeeRow(sheet, walkIn).locator("td.sheet-signature");
    await expect(signature).toBeVisible();
    expect((await signature.boundingBox())!.width, "room to sign").toBeGreaterThanOrEqual(100);
    await page.emulateMedia({ media: "screen" });
    await expect(header).toBeVisible();

    // --- CSV: a download, UTF-8 with a BOM, the header row and the names.
    await expect(csvLink).toHaveAttribute("href", `/manage/sessions/${id}/attendees.csv`);
    const [download] = await Promise.all([page.waitForEvent("download"), csvLink.click()]);
    expect(download.suggestedFilename()).toBe(`attendees-${id}.csv`);
    const bytes = await fs.readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)], "a UTF-8 byte order mark").toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("姓名,人数,电话,需要照顾,代报名人,候补顺序");
    expect(lines).toContain(`${walkIn},1,13805981234,"行动不便, 坐""轮椅""",黄晓燕,`);
    expect(lines.some((line) => line.startsWith(`${found.name},1,`))).toBe(true);
    expect(lines.at(-1), "ends with a line break").toBe("");
    expect(lines).toHaveLength(4);
  });

  test("a caretaking member sees the bookings of a resident she looks after; a resident gets 404 for someone else's", async ({ page, problems }) => {
    problems.allow(/HTTP 404 GET .*\/people\/\d+\/bookings/, "someone else's bookings page is a 404 by design");
    problems.allow(/console\.error .*Failed to load resource: the server responded with a status of 404/, "Chromium's log line for that 404");

    // 王德福 signs up for tai chi himself.
    await signIn(page, DEMO.resident, "/calendar");
    const { id } = await openTaiChiSessionWithRoom(page);
    await panelOf(page).getByRole("button", { name: "报名", exact: true }).click();
    await expect(panelOf(page).getByRole("status")).toHaveText("您已报名，共 1 人。");
    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page.getByRole("banner").getByRole("link", { name: "登录" })).toBeVisible();

    // The coordinator finds his bookings page from the attendee list; and 林秀珍's person id by search.
    await signIn(page, DEMO.coordinator, `/manage/sessions/${id}/attendees`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^报名名单：/);
    await attendeeRow(confirmedTable(page), "王德福").getByRole("link", { name: "王德福" }).click();
    await expect(page).toHaveURL(/\/people\/\d+\/bookings$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("王德福 的预约");
    const wangPath = new URL(page.url()).pathname;
    await goto(page, `/manage/sessions/${id}/book?q=${encodeURIComponent("林秀珍")}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^代人报名：/);
    const lin = bookableResults(page)
      .filter({ has: page.locator("strong", { hasText: /^林秀珍$/ }) })
      .first();
    const linId = await lin.locator('input[name="personId"]').getAttribute("value");
    expect(linId).toMatch(/^\d+$/);
    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page.getByRole("banner").getByRole("link", { name: "登录" })).toBeVisible();

    // 林秀珍 (a volunteer looking after his household) may open his bookings page.
    await signIn(page, MEMBER, wangPath);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("王德福 的预约");
    const booking = activeBooking(page, id);
    await expect(booking).toContainText("已报名 · 1 人");
    // …and cancel for him, as his caretaker.
    await confirmAction(booking, "取消报名", "确认取消报名", "王德福的 1 人名额将释放给候补，取消后不能恢复。");
    await expect(activeBooking(page, id)).toHaveCount(0);
    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page.getByRole("banner").getByRole("link", { name: "登录" })).toBeVisible();

    // 王德福 is nobody's caretaker: 林秀珍's page, and a person that does not exist, are the same 404.
    await signIn(page, DEMO.resident, "/bookings");
    await expect(activeBooking(page, id)).toHaveCount(0);
    for (const path of [`/people/${linId}/bookings`, "/people/99999999/bookings"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("出错了");
      await expect(page.getByText("找不到这个页面或记录。")).toBeVisible();
      await expect(page.getByText("林秀珍")).toHaveCount(0);
    }
    // His own page works through the same route.
    await goto(page, wangPath);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("王德福 的预约");
  });
});

test.describe("signup pages: accessibility", () => {
  async function collectSmall(page: Page, label: string, into: (TargetMeasure & { page: string })[]) {
    for (const small of await smallTargets(page, "header.site-header, main")) into.push({ ...small, page: label });
  }

  test("axe and 44 px targets: session page with the signup panel (zh-CN and en), 我的预约", async ({ page, context, baseURL }, testInfo) => {
    const small: (TargetMeasure & { page: string })[] = [];
    await signIn(page, DEMO.resident, "/calendar");
    const { id } = await openTaiChiSessionWithRoom(page);
    await expect(panelOf(page).getByLabel("人数（含本人）")).toBeVisible();
    await expectNoSeriousAxeViolations(page, "session page, signup panel open (zh-CN)");
    await collectSmall(page, "session page, open (zh-CN)", small);

    await panelOf(page).getByRole("button", { name: "报名", exact: true }).click();
    await expect(panelOf(page).locator("summary", { hasText: "取消报名" })).toBeVisible();
    await expectNoSeriousAxeViolations(page, "session page, signed up (zh-CN)");
    await collectSmall(page, "session page, signed up (zh-CN)", small);

    await goto(page, "/bookings");
    await expect(page.locator("li.booking").first()).toBeVisible();
    await expectNoSeriousAxeViolations(page, "我的预约");
    await collectSmall(page, "我的预约", small);

    await setPreferences(context, baseURL!, { locale: "en", largeText: false });
    await goto(page, `/sessions/${id}`);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("region", { name: "Sign up" }).locator("summary", { hasText: "Cancel signup" })).toBeVisible();
    await expectNoSeriousAxeViolations(page, "session page, signed up (en)");
    await collectSmall(page, "session page, signed up (en)", small);
    await confirmAction(page.getByRole("region", { name: "Sign up" }), "Cancel signup", "Yes, cancel the booking");
    await expect(page.getByRole("region", { name: "Sign up" }).getByLabel("Number of people (including you)")).toBeVisible();
    await expectNoSeriousAxeViolations(page, "session page, signup panel open (en)");
    await collectSmall(page, "session page, open (en)", small);

    await testInfo.attach("small-targets.json", { body: JSON.stringify(small, null, 2), contentType: "application/json" });
    expect(small, "controls smaller than 44×44 CSS px").toEqual([]);
  });

  test("axe and 44 px targets: attendee list and 代人报名 (staff)", async ({ page }, testInfo) => {
    const small: (TargetMeasure & { page: string })[] = [];
    const suffix = unique();
    await signIn(page, DEMO.coordinator, "/manage");
    const { id } = await createOneOffSession(page, { title: `健康咨询 ${suffix}`, capacity: 1 });
    await openBookPage(page, id);
    await expectNoSeriousAxeViolations(page, "代人报名 (empty)");
    await collectSmall(page, "代人报名 (empty)", small);
    await bookFirstFound(page, "张");
    await registerAndBook(page, { fullName: `候补居民${suffix}`, phone: "13600001111" });
    await expect(page.getByRole("status")).toHaveText(`已为 候补居民${suffix} 报名：候补第 1 位`);
    await search(page, "李");
    await expect(bookableResults(page).first()).toBeVisible();
    await expectNoSeriousAxeViolations(page, "代人报名 (with results)");
    await collectSmall(page, "代人报名 (with results)", small);

    await openAttendees(page, id);
    await expect(waitlistTable(page)).toBeVisible();
    await expectNoSeriousAxeViolations(page, "attendee list");
    await collectSmall(page, "attendee list", small);

    await testInfo.attach("small-targets.json", { body: JSON.stringify(small, null, 2), contentType: "application/json" });
    expect(small, "controls smaller than 44×44 CSS px").toEqual([]);
  });
});

// Faults these tests once found, kept as regression tests.
test.describe("regressions", () => {
  test("the attendee list and 代人报名 show their own pages, not the session editor", async ({ page }) => {
    await signIn(page, DEMO.coordinator, "/manage");
    const title = `名单页面 ${unique()}`;
    const { id } = await createOneOffSession(page, { title, capacity: 3 });
    await openAttendees(page, id);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`报名名单：${title}`, { timeout: 2000 });
    await openBookPage(page, id);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`代人报名：${title}`, { timeout: 2000 });
  });

  test("the 报名名单 link on 代人报名 is at least 44×44 px", async ({ page }) => {
    await signIn(page, DEMO.coordinator, "/manage");
    const { id } = await createOneOffSession(page, { title: `名单链接 ${unique()}`, capacity: 3 });
    await openBookPage(page, id);
    const link = page.locator("main").getByRole("link", { name: "报名名单", exact: true });
    await expect(link).toBeVisible({ timeout: 2000 });
    const box = (await link.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(44);
    expect(box.height).toBeGreaterThanOrEqual(44);
  });

  test("in English the party-size choice reads '1 person', not '1 people'", async ({ page, context, baseURL }) => {
    await signIn(page, DEMO.resident, "/calendar");
    await setPreferences(context, baseURL!, { locale: "en", largeText: false });
    await openTaiChiSessionWithRoom(page, 3, "Sign up");
    await expect(page.getByRole("region", { name: "Sign up" }).getByLabel("Number of people (including you)").locator("option")).toHaveText(
      ["1 person", "2 people"],
      { timeout: 2000 },
    );
  });
});
