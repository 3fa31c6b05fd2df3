/**
 * One-to-one consultations end to end, on the phones of the people who use them (390×844,
 * large text): the demo resident books a family-doctor follow-up — a day, a time, an optional
 * private topic — and finds it on 我的预约; the demo doctor sees it, with the topic, in 我的咨询;
 * the resident cancels it and the slot is free again; the public calendar shows the hours with
 * no one's name.
 */
import type { Browser } from "@playwright/test";
import { DEMO, expect, expectNoSeriousAxeViolations, goto, setPreferences, signIn, test } from "./support";

const PHONE = { width: 390, height: 844 };

async function phone(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ viewport: PHONE });
  await setPreferences(context, baseURL, { locale: "zh-CN", largeText: true });
  return context;
}

test.describe("consultations", () => {
  test("a resident books a follow-up with a private topic, the doctor sees it in 我的咨询, and cancelling frees the slot", async ({
    browser,
    baseURL,
  }, testInfo) => {
    const topic = `血压药怎么调 ${Math.random().toString(36).slice(2, 6)}`;
    const residentContext = await phone(browser, baseURL!);
    const resident = await residentContext.newPage();
    await signIn(resident, DEMO.resident, "/consultations");
    await expect(resident.getByRole("heading", { level: 1 })).toHaveText("咨询预约");
    await expectNoSeriousAxeViolations(resident, "咨询预约 (phone, large text)");
    await resident.getByRole("link", { name: "为“家庭医生随访”选择时间" }).click();
    await expect(resident.getByRole("heading", { level: 1 })).toHaveText("家庭医生随访");

    // Two doctors give follow-ups; she picks 李建华 (the demo doctor's account), and the page
    // opens on his first day with a free time.
    await resident.locator(".consult-providers").getByRole("link", { name: "李建华" }).click();
    await expect(resident.locator(".consult-group h3")).toHaveCount(1);
    await expect(resident.locator(".consult-group h3")).toContainText("李建华");
    const slot = resident.locator("a.consult-slot").first();
    const time = (await slot.textContent())!.trim();
    await slot.click();
    await expect(resident.getByRole("heading", { name: "3. 确认预约" })).toBeVisible();
    const day = new URL(resident.url()).searchParams.get("day")!;
    expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await resident.getByLabel("想咨询什么（可以不填）").fill(topic);
    await expectNoSeriousAxeViolations(resident, "consultation confirm step (phone, large text)");
    await resident.getByRole("button", { name: "确认预约" }).click();
    await expect(resident.getByRole("status")).toContainText("预约好了。");
    await expect(resident.getByRole("status")).toContainText(time);
    await resident.screenshot({ path: testInfo.outputPath("consultation-booked-phone.png"), fullPage: true });

    // 我的预约 lists it, with the topic only she (and the doctor, and staff) can read.
    await goto(resident, "/bookings");
    const mine = resident.locator(".consult-mine li").filter({ hasText: "家庭医生随访" });
    await expect(mine).toContainText(topic);
    await expect(mine).toContainText("李建华");

    // The doctor's phone: 我的咨询 for that day shows 王德福 and the topic.
    const doctorContext = await phone(browser, baseURL!);
    const doctor = await doctorContext.newPage();
    await signIn(doctor, DEMO.doctor, `/my/consultations?day=${day}`);
    const appointment = doctor.locator(".consult-mine li").filter({ hasText: "王德福" });
    await expect(appointment).toContainText(topic);
    await expect(appointment).toContainText(time);
    await expectNoSeriousAxeViolations(doctor, "我的咨询 (phone, large text)");
    await doctor.screenshot({ path: testInfo.outputPath("provider-day-phone.png"), fullPage: true });

    // The resident cancels: the confirmation step, then the slot is free again.
    await mine.locator("summary", { hasText: "取消预约" }).click();
    await mine.getByRole("button", { name: "确认取消预约" }).click();
    await expect(resident.getByRole("status")).toHaveText("预约已取消。");
    await doctor.reload();
    await expect(doctor.locator(".consult-mine li").filter({ hasText: topic })).toHaveCount(0);
    await residentContext.close();
    await doctorContext.close();
  });

  test("a caretaker books a legal-aid slot for someone in her care on her phone, and the lawyer sees it in 我的咨询", async ({
    browser,
    baseURL,
  }) => {
    const caretakerContext = await phone(browser, baseURL!);
    const caretaker = await caretakerContext.newPage();
    await signIn(caretaker, "member@fuwen.example", "/consultations");
    await caretaker.getByRole("link", { name: "为“法律援助”选择时间" }).click();
    await expect(caretaker.getByRole("heading", { level: 1 })).toHaveText("法律援助");
    const slot = caretaker.locator("a.consult-slot").first();
    const time = (await slot.textContent())!.trim();
    await slot.click();
    await expect(caretaker.getByRole("heading", { name: "3. 确认预约" })).toBeVisible();
    const day = new URL(caretaker.url()).searchParams.get("day")!;

    // Herself by default; then the people of the households in her care, with their household.
    const forWhom = caretaker.getByRole("group", { name: "为谁预约" });
    await expect(forWhom.getByRole("radio", { name: "我自己" })).toBeChecked();
    const choices = forWhom.locator("label.choice");
    expect(await choices.count()).toBeGreaterThan(1);
    const overflow = await caretaker.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The first of them who is free then and has no legal-aid booking yet (the service allows one).
    let booked = "";
    for (let i = 1; i < (await choices.count()) && !booked; i++) {
      const name = (await choices.nth(i).textContent())!.trim().split("（")[0]!;
      await choices.nth(i).locator("input").check();
      await caretaker.getByRole("button", { name: "确认预约" }).click();
      const outcome = caretaker.getByRole("status").or(caretaker.locator(".notice-error")).first();
      await expect(outcome).toBeVisible();
      if ((await outcome.textContent())!.includes(`已为 ${name} 预约好了`)) booked = name;
    }
    expect(booked, "someone in her care was booked").not.toBe("");
    await expect(caretaker.getByRole("status")).toContainText(time);

    // The lawyer signs in with her mobile number: the appointment is on her day, under that name.
    const lawyerContext = await phone(browser, baseURL!);
    const lawyer = await lawyerContext.newPage();
    await signIn(lawyer, "13900001111", `/my/consultations?day=${day}`);
    const appointment = lawyer.locator(".consult-mine li").filter({ hasText: booked });
    await expect(appointment).toContainText(time);
    await caretakerContext.close();
    await lawyerContext.close();
  });

  test("the public calendar shows the consultations' hours with no one's name", async ({ page }) => {
    await goto(page, "/calendar?category=consultation");
    const hours = page.locator(".consultation-hours");
    await expect(hours.getByRole("heading")).toHaveText("一对一咨询（需预约）");
    await expect(hours).toContainText("家庭医生随访 · 星期二 09:00–11:00");
    await expect(hours).toContainText("法律援助 · 星期四 14:00–17:00");
    for (const name of ["李建华", "陈丽萍", "周明远", "何静", "孙文华"]) await expect(hours).not.toContainText(name);
  });
});

test.describe("changing consultation hours over bookings", () => {
  test("a day off over a booked day lists the bookings to cancel and lands only with the provider's OK (phone, large text)", async ({
    browser,
    baseURL,
  }, testInfo) => {
    const context = await phone(browser, baseURL!);
    const page = await context.newPage();
    await signIn(page, DEMO.coordinator, "/manage/consultations/day");
    // The first day ahead with a booked legal-aid consultation (the demo books about half the slots).
    let date = "";
    for (let ahead = 1; ahead <= 14 && !date; ahead++) {
      const day = new Date(Date.now() + ahead * 86_400_000).toLocaleDateString("en-CA", { timeZone: "Asia/Shanghai" });
      await goto(page, `/manage/consultations/day?day=${day}`);
      if ((await page.locator("tbody tr").filter({ hasText: "法律援助" }).count()) > 0) date = day;
    }
    expect(date, "a day with a legal-aid booking in the demo").not.toBe("");
    const booked = await page.locator("tbody tr").filter({ hasText: "法律援助" }).count();

    await goto(page, "/manage/consultations");
    const panel = page.locator(".consult-service").filter({ has: page.getByRole("heading", { name: "法律援助" }) });
    await panel.locator("summary", { hasText: "添加每周时间或请假" }).click();
    const step = panel.locator("details.confirm-action").filter({ has: page.locator("summary", { hasText: "这一天请假" }) });
    await step.locator("summary").click();
    await step.getByLabel("请假日期").fill(date);
    await step.getByRole("button", { name: "这一天请假" }).click();
    // Nothing changed yet: the bookings are listed, each by name and time.
    await expect(step.locator(".notice-error")).toContainText("个已有的预约落在接待时间以外");
    const lines = step.locator(".affected-bookings li");
    await expect(lines).toHaveCount(booked);
    await expect(lines.first()).toContainText("的预约将被取消");
    await step.getByLabel("接诊人怎样同意的（例如“12月5日电话确认”）").fill("电话确认");
    const confirm = step.getByRole("button", { name: "确认修改并取消这些预约" });
    expect((await confirm.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectNoSeriousAxeViolations(page, "hours change confirm step (phone, large text)");
    await step.screenshot({ path: testInfo.outputPath("hours-change-confirm-phone.png") });
    await confirm.click();
    await expect(step.getByRole("status")).toContainText(`取消了 ${booked} 个预约`);

    await goto(page, `/manage/consultations/day?day=${date}`);
    await expect(page.locator("tbody tr").filter({ hasText: "法律援助" })).toHaveCount(0);
    await context.close();
  });

  test("the lawyer takes a booked Thursday off on his phone: he sees who is booked, confirms, and the day is free (large text)", async ({
    browser,
    baseURL,
  }, testInfo) => {
    const context = await phone(browser, baseURL!);
    const page = await context.newPage();
    // 周明远 signs in with his mobile number; 我的咨询 opens on today and points on to his next booked day.
    await signIn(page, "13900001111", "/my/consultations");
    const next = page.getByRole("link", { name: /^下一个有预约的日子/ });
    if ((await page.locator(".consult-mine li").count()) === 0) await next.click();
    await expect(page.locator(".consult-mine li").first()).toBeVisible();
    const date = new URL(page.url()).searchParams.get("day") ?? new Date().toLocaleDateString("en-CA", { timeZone: "Asia/Shanghai" });
    const booked = await page.locator(".consult-mine li").count();

    await page.getByRole("link", { name: "我的接待时间" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的接待时间");
    const step = page.locator("details.confirm-action").filter({ has: page.locator("summary", { hasText: "这一天请假" }) });
    await step.locator("summary").click();
    await step.getByLabel("请假日期").fill(date);
    await step.getByRole("button", { name: "这一天请假" }).click();
    // Nothing changed yet: the bookings are listed by name and time; he needs no note of his own OK.
    const lines = step.locator(".affected-bookings li");
    await expect(lines).toHaveCount(booked);
    await expect(lines.first()).toContainText("的预约将被取消");
    await expect(step.getByLabel(/接诊人怎样同意的/)).toHaveCount(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectNoSeriousAxeViolations(page, "a provider's own day off, confirm step (phone, large text)");
    await page.screenshot({ path: testInfo.outputPath("own-day-off-confirm-phone.png"), fullPage: true });
    await step.getByRole("button", { name: "确认修改并取消这些预约" }).click();
    await expect(step.getByRole("status")).toContainText(`取消了 ${booked} 个预约`);

    // The day off is listed, and his day is empty.
    await page.reload();
    await expect(page.locator(".consult-changes li")).toContainText(["请假"]);
    await goto(page, `/my/consultations?day=${date}`);
    await expect(page.locator(".consult-mine li")).toHaveCount(0);
    await context.close();
  });
});
