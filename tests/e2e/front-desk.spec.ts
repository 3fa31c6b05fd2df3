/**
 * The front desk end to end, as its people use it on their phones: a resident shows the
 * check-in QR code from 我的预约, the coordinator's phone scans it (here: the picture on the
 * resident's screen is decoded with a QR reader and its URL opened), the sheet checks the
 * next person in with one tap and seats a walk-in, a volunteer taps the drop-in tally, and
 * the coordinator reads the month's figures. Large text on a 390×844 screen for the phones.
 */
import type { APIRequestContext, Browser } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { DEMO, DEMO_PASSWORD, expect, expectNoSeriousAxeViolations, setPreferences, signIn, stationNow, test } from "./support";

const PHONE = { width: 390, height: 844 };

/** A coordinator's API token (the setup books through the JSON API, not the pages under test). */
async function staffApi(request: APIRequestContext) {
  const reply = await request.post("/api/v1/auth/token", { data: { email: DEMO.coordinator, password: DEMO_PASSWORD, name: "front-desk e2e" } });
  expect(reply.status()).toBe(201);
  const { token } = (await reply.json()) as { token: string };
  const headers = { Authorization: `Bearer ${token}` };
  return {
    get: async (path: string) => (await request.get(path, { headers })).json(),
    post: async (path: string, data: unknown) => {
      const r = await request.post(path, { headers, data });
      expect(r.status(), `${path}: ${await r.text()}`).toBeLessThan(300);
      return r.json();
    },
  };
}

/** A session starting in 30 minutes (check-in opens an hour before), with the demo resident (or not) and the others booked. */
async function sessionAboutToStart(
  request: APIRequestContext,
  others: { fullName: string; phone: string }[] = [{ fullName: "签到甲", phone: "13800002468" }],
  withResident = true,
) {
  const api = await staffApi(request);
  const { categories } = (await api.get("/api/v1/categories")) as { categories: { id: number; slug: string }[] };
  const start = stationNow().plus({ minutes: 30 }).startOf("minute");
  // Unique per call: the tests of this file make their sessions within the same minute.
  const title = `签到演练 ${start.toFormat("HHmm")}-${Math.random().toString(36).slice(2, 6)}`;
  await api.post("/api/v1/activities", {
    categoryId: categories[0]!.id,
    title,
    location: "驿站活动室",
    capacity: 3,
    durationMinutes: 60,
    startDate: start.toISODate(),
    startTime: start.toFormat("HH:mm"),
    signupClosesMinutes: 0,
  });
  const { sessions } = (await api.get(`/api/v1/sessions?from=${start.toISODate()}&to=${start.plus({ days: 1 }).toISODate()}`)) as {
    sessions: { id: number; title: string }[];
  };
  const sessionId = sessions.find((s) => s.title === title)!.id;
  const ids: number[] = [];
  if (withResident) {
    const { people } = (await api.get(`/api/v1/people?q=${encodeURIComponent("王德福")}`)) as { people: { id: number }[] };
    ids.push(people[0]!.id);
  }
  for (const person of others) ids.push(((await api.post("/api/v1/people", person)) as { id: number }).id);
  for (const personId of ids) await api.post(`/api/v1/sessions/${sessionId}/signups`, { personId, partySize: 1 });
  return { sessionId, title };
}

async function phone(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ viewport: PHONE });
  await setPreferences(context, baseURL, { locale: "zh-CN", largeText: true });
  return context;
}

test.describe("the front desk", () => {
  test("a booking's QR code checks its holder in; the sheet checks the next in with a tap and seats a walk-in", async ({
    browser,
    request,
    baseURL,
  }, testInfo) => {
    const { sessionId, title } = await sessionAboutToStart(request);

    // The resident's phone: 我的预约 shows today's booking with its QR code open.
    const residentContext = await phone(browser, baseURL!);
    const resident = await residentContext.newPage();
    await signIn(resident, DEMO.resident, "/bookings");
    const booking = resident.locator(".booking").filter({ hasText: title });
    const qr = booking.locator(".checkin-qr");
    await expect(qr).toBeVisible();
    await expectNoSeriousAxeViolations(resident, "我的预约 with a check-in code (phone, large text)");
    await resident.screenshot({ path: testInfo.outputPath("bookings-qr-phone.png"), fullPage: true });
    // "Scan" it: read the code off the resident's screen.
    const png = PNG.sync.read(await qr.screenshot());
    const scanned = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(scanned?.data).toMatch(new RegExp(`/checkin/${sessionId}/\\d+-[A-Za-z0-9_-]{22}$`));
    const url = new URL(scanned!.data);

    // The coordinator's phone opens what it scanned: the resident is checked in.
    const staffContext = await phone(browser, baseURL!);
    const staff = await staffContext.newPage();
    await signIn(staff, DEMO.coordinator, url.pathname);
    await expect(staff.getByRole("status")).toHaveText("王德福 已签到，1 人。");
    await expect(staff.getByRole("heading", { level: 1 })).toHaveText("王德福");
    await expectNoSeriousAxeViolations(staff, "QR check-in (phone, large text)");

    // The sheet: the resident is here, 签到甲 is one tap away; the figures say so.
    await staff.getByRole("link", { name: "打开签到名单" }).click();
    await expect(staff).toHaveURL(new RegExp(`/manage/sessions/${sessionId}/checkin$`));
    await expect(staff.locator(".checkin-figures")).toHaveText("已到 1 人 · 预计 2 人 · 名额 3");
    await staff.getByRole("button", { name: "为签到甲签到" }).click();
    await expect(staff.getByText("签到甲 已签到，1 人。")).toBeVisible();
    await expect(staff.locator(".checkin-figures")).toHaveText("已到 2 人 · 预计 2 人 · 名额 3");
    await expect(staff.getByRole("button", { name: "撤销签到甲的签到" })).toBeVisible();
    // Found by the last four digits of the phone.
    await staff.getByLabel("按姓名或电话后 4 位查找").fill("2468");
    await staff.getByRole("button", { name: "查找" }).click();
    await expect(staff.locator(".checkin-row")).toHaveCount(1);
    await expect(staff.locator(".checkin-row .checkin-name")).toHaveText("签到甲");
    await staff.getByRole("link", { name: "显示全部" }).click();
    await expect(staff.getByLabel("按姓名或电话后 4 位查找")).toHaveValue("");
    await expect(staff.locator(".checkin-row")).toHaveCount(2);

    // A walk-in: registered and checked in at once, seated past nobody's place.
    await staff.getByText("没报名的人来了：现场登记并签到").click();
    await staff.getByRole("textbox", { name: "姓名", exact: true }).fill("现场居民");
    await staff.getByLabel("电话（选填）").fill("13900001357");
    await staff.getByRole("button", { name: "登记并签到" }).click();
    await expect(staff.getByText(/现场居民 已签到，1 人。 现场入座（不占报名名额）。/)).toBeVisible();
    await expect(staff.locator(".checkin-figures")).toHaveText("已到 3 人 · 预计 3 人 · 名额 3");
    // The form is empty again for the next person at the door.
    await expect(staff.getByRole("textbox", { name: "姓名", exact: true })).toHaveValue("");
    await expectNoSeriousAxeViolations(staff, "check-in sheet (phone, large text)");
    await staff.screenshot({ path: testInfo.outputPath("checkin-sheet-phone.png"), fullPage: true });
    await residentContext.close();
    await staffContext.close();
  });

  test("the volunteer rostered on the registration desk checks in three booked people and a walk-in on her phone", async ({
    page,
    browser,
    request,
    baseURL,
    problems,
  }, testInfo) => {
    problems.allow(/HTTP 409 POST .*\/checkin/, "the full room refuses the volunteer's walk-in by design (409)");
    problems.allow(/console\.error .*Failed to load resource: the server responded with a status of 409/, "Chromium's log line for that 409");
    const booked = [
      { fullName: "签到乙", phone: "13800001111" },
      { fullName: "签到丙", phone: "13800002222" },
      { fullName: "签到丁", phone: "13800003333" },
    ];
    const { sessionId, title } = await sessionAboutToStart(request, booked, false);
    // The coordinator puts 林秀珍 (the demo member) on the session's registration desk.
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, DEMO.coordinator, `/manage/sessions/${sessionId}/roster`);
    await page.getByLabel("岗位").selectOption({ label: "签到接待" });
    await page.getByRole("button", { name: "添加", exact: true }).click();
    // Many volunteers can do the desk: the picker lists the first of them, and finds her by name.
    await page.getByLabel("找人（姓名或手机号）").fill("林秀珍");
    await page.getByRole("button", { name: "查找", exact: true }).click();
    await expect(page.getByText("查找「林秀珍」的结果：")).toBeVisible();
    await page.getByRole("button", { name: "安排 林秀珍" }).click();
    await expect(page.locator("li.roster-cell li.roster-person")).toContainText(["林秀珍"]);

    // Her phone: she confirms the shift, and the shift card opens the check-in sheet.
    const volunteerContext = await phone(browser, baseURL!);
    const volunteer = await volunteerContext.newPage();
    await signIn(volunteer, "member@fuwen.example", "/shifts");
    const card = volunteer.locator(".shift-card").filter({ hasText: title });
    await card.getByRole("button", { name: "确认" }).click();
    await card.getByRole("link", { name: "打开签到名单" }).click();
    await expect(volunteer).toHaveURL(new RegExp(`/manage/sessions/${sessionId}/checkin$`));
    await expect(volunteer.locator(".checkin-figures")).toHaveText("已到 0 人 · 预计 3 人 · 名额 3");
    for (const [i, person] of booked.entries()) {
      await volunteer.getByRole("button", { name: `为${person.fullName}签到` }).click();
      await expect(volunteer.locator(".checkin-figures")).toHaveText(`已到 ${i + 1} 人 · 预计 3 人 · 名额 3`);
    }
    // The room is full: a walk-in is for staff to seat, and the sheet says why.
    await volunteer.getByText("没报名的人来了：现场登记并签到").click();
    await volunteer.getByRole("textbox", { name: "姓名", exact: true }).fill("门口居民");
    await volunteer.getByRole("button", { name: "登记并签到" }).click();
    await expect(volunteer.getByRole("alert")).toHaveText("已满 3 人；超出名额的签到请工作人员办理。");
    // The coordinator seats her past the capacity; the volunteer's sheet shows it.
    await page.goto(`/manage/sessions/${sessionId}/checkin`);
    await page.getByText("没报名的人来了：现场登记并签到").click();
    await page.getByRole("textbox", { name: "姓名", exact: true }).fill("门口居民");
    await page.getByRole("button", { name: "登记并签到" }).click();
    await expect(page.getByText(/门口居民 已签到，1 人。 现场入座（不占报名名额）。 现在预计 4 人，超出名额 3。/)).toBeVisible();
    await volunteer.reload();
    await expect(volunteer.locator(".checkin-figures")).toHaveText("已到 4 人 · 预计 4 人 · 名额 3 （已超出名额 1 人）");
    await volunteer.screenshot({ path: testInfo.outputPath("desk-volunteer-sheet-phone.png"), fullPage: true });
    await volunteerContext.close();
  });

  test("a volunteer taps 10 blood-pressure visits; the coordinator sees them in this month's figures and prints the 月报", async ({
    page,
    browser,
    baseURL,
  }, testInfo) => {
    // The coordinator's desktop: this month's blood-pressure visits before the taps.
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, DEMO.coordinator, "/manage");
    await page.getByRole("link", { name: "月度统计" }).click();
    await expect(page).toHaveURL(/\/manage\/reports$/);
    const month = stationNow().toFormat("yyyy-MM");
    const bloodPressure = () =>
      page
        .getByRole("row")
        .filter({ has: page.getByRole("rowheader", { name: "测血压" }) })
        .locator("td")
        .nth(1);
    await page.goto(`/manage/reports?month=${month}`);
    const before = Number(await bloodPressure().textContent());

    const volunteerContext = await phone(browser, baseURL!);
    const volunteer = await volunteerContext.newPage();
    await signIn(volunteer, "member@fuwen.example", "/shifts");
    await volunteer.getByRole("link", { name: "来访登记" }).click();
    await expect(volunteer).toHaveURL(/\/desk$/);
    const button = volunteer.getByRole("button", { name: "测血压：记 1 人" });
    const today = Number((await button.locator(".tally-count").textContent())!.replace(/\D/g, ""));
    for (let tap = 1; tap <= 10; tap++) {
      await button.click();
      // Each tap is counted before the next: the badge shows today's count from the database.
      await expect(button.locator(".tally-count")).toHaveText(`今天 ${today + tap}`);
    }
    // A wrong tap is taken back from today's list.
    await button.click();
    await expect(button.locator(".tally-count")).toHaveText(`今天 ${today + 11}`);
    await volunteer
      .getByRole("button", { name: /^撤销：.* 测血压 1 人$/ })
      .first()
      .click();
    await expect(button.locator(".tally-count")).toHaveText(`今天 ${today + 10}`);
    await expectNoSeriousAxeViolations(volunteer, "tally (phone, large text)");
    await volunteer.screenshot({ path: testInfo.outputPath("tally-phone.png"), fullPage: true });
    await volunteerContext.close();

    // The month's figures count them, with their charts (SVG from the server) and tables.
    await page.reload();
    await expect(bloodPressure()).toHaveText(String(before + 10));
    const charts = page.locator("figure.chart");
    await expect(charts).toHaveCount(3);
    for (let i = 0; i < 3; i++) {
      await expect(charts.nth(i).locator(".chart-svg svg").first()).toBeVisible();
      await expect(charts.nth(i).locator("table")).toHaveCount(1);
    }
    await expectNoSeriousAxeViolations(page, "monthly figures (desktop)");
    await page.screenshot({ path: testInfo.outputPath("reports-desktop.png"), fullPage: true });
    // The printed 月报: no site header or buttons, and it lays out on A4.
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".site-header")).toBeHidden();
    await expect(page.getByRole("button", { name: "打印月报" })).toBeHidden();
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    await testInfo.attach("monthly-report.pdf", { body: pdf, contentType: "application/pdf" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  });
});
