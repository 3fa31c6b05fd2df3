/**
 * A caretaker on a phone (390×844) with large text (ADR 25): she books three of her households'
 * people onto tomorrow's tai chi (or, without one, tomorrow's exercise session) in one action and
 * reads the answer person by person, opens and prints her call list (A4, print stylesheet), and
 * marks a call. Screenshots of the picker and the answer go to /tmp/shots-booking/.
 */
import fs from "node:fs";
import { expect, goto, hydrated, signIn, stationNow, test } from "./support";

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

const SHOTS = "/tmp/shots-booking";
const MEMBER = "member@fuwen.example";

test("a caretaker books three of her households' people onto tomorrow's session, prints her call list and marks a call", async ({ page }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const tomorrow = stationNow().plus({ days: 1 }).toISODate()!;
  const listed = await page.request.get(`/api/v1/sessions?from=${tomorrow}&to=${tomorrow}`);
  expect(listed.status()).toBe(200);
  const sessions = ((await listed.json()) as { sessions: { id: number; category: string; status: string; title: string }[] }).sessions.filter(
    (s) => s.status === "scheduled",
  );
  const session = sessions.find((s) => s.category === "tai-chi") ?? sessions.find((s) => s.category === "exercise");
  expect(session, `tomorrow's sessions: ${sessions.map((s) => s.title).join(", ")}`).toBeTruthy();

  const started = Date.now();
  await signIn(page, MEMBER, `/sessions/${session!.id}`);
  // 大字模式, as she would turn it on: on a phone it is in the menu.
  await page.locator("summary.menu-button").click();
  await page.getByRole("button", { name: "大字模式" }).click();
  await expect(page.locator("html")).toHaveClass(/large-text/);
  await hydrated(page);
  const picker = page.locator("section.booking-picker");
  await expect(picker.getByRole("heading", { name: "为家人和联系户报名" })).toBeVisible();
  // A box as big as a fingertip, a row as tall as a thumb, readable names.
  const box = await picker.locator(".booking-check input").first().boundingBox();
  expect(box!.width).toBeGreaterThanOrEqual(40);
  const row = await picker.locator(".booking-row").first().boundingBox();
  expect(row!.height).toBeGreaterThanOrEqual(64);
  const nameSize = await picker
    .locator(".booking-name")
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(nameSize).toBeGreaterThanOrEqual(24);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await picker.screenshot({ path: `${SHOTS}/picker.png` });
  await picker.locator("fieldset.booking-group").first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/picker-screen.png` });

  // Three people of the households in her care (not her own household), not yet booked.
  const cared = picker.locator("fieldset.booking-group").filter({ hasNot: page.locator("legend", { hasText: "我家" }) });
  const boxes = cared.locator(".booking-check");
  expect(await boxes.count()).toBeGreaterThanOrEqual(3);
  const names: string[] = [];
  for (let i = 0; i < 3; i++) {
    const label = boxes.nth(i);
    names.push((await label.locator(".booking-name").innerText()).trim());
    const size = boxes.nth(i).locator("xpath=..").locator("select");
    if (await size.count()) await expect(size).toBeHidden();
    await label.click();
    await expect(label.locator("input")).toBeChecked();
    // Ticked, the row asks how many come.
    if (await size.count()) await expect(size).toBeVisible();
  }
  await page.screenshot({ path: `${SHOTS}/picker-ticked-screen.png` });
  await picker.getByRole("button", { name: "为勾选的人报名" }).click();
  const result = picker.locator(".booking-result");
  await expect(result).toBeVisible();
  await expect(result.locator(".booking-outcome")).toHaveCount(3);
  for (const [i, name] of names.entries()) {
    const line = result.locator(".booking-outcome").nth(i);
    await expect(line.locator(".booking-name")).toHaveText(name);
    await expect(line.locator(".booking-what")).toHaveText(/^(报名成功（1 人）|名额已满，候补第 \d+ 位)$/);
  }
  const seconds = (Date.now() - started) / 1000;
  expect(seconds).toBeLessThan(60);
  console.info(`[figures] sign-in, large text, three people booked: ${seconds.toFixed(1)} s`);
  // The answer is brought into view by itself.
  await expect(result).toBeInViewport();
  await page.screenshot({ path: `${SHOTS}/result-screen.png` });
  await result.screenshot({ path: `${SHOTS}/result.png` });
  // The rows now say where each stands.
  for (const name of names) await expect(cared.locator(".booking-row-done", { hasText: name })).toContainText(/已报名|候补第/);

  // Her call list for tomorrow, printed.
  await goto(page, "/care/calls");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const people = page.locator(".calls-person");
  expect(await people.count()).toBeGreaterThan(0);
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void (window as unknown as { printed: number }).printed++;
  });
  await page.getByRole("button", { name: "打印名单" }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await page.emulateMedia({ media: "print" });
  // The print sheet: no header, no buttons, 11 pt text, a box to tick per person.
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(people.first().locator("form.calls-mark")).toBeHidden();
  await expect(people.first().locator(".print-box")).toBeVisible();
  const printSize = await page
    .locator(".calls")
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(printSize).toBeCloseTo((11 * 96) / 72, 2);
  await page.pdf({ path: `${SHOTS}/calls.pdf`, format: "A4" });
  await page.emulateMedia({ media: "screen" });

  // Mark the first one not yet marked.
  const open = people.filter({ has: page.locator("form.calls-mark") }).first();
  const who = (await open.locator(".calls-name strong").innerText()).trim();
  await open.getByRole("button", { name: `${who}：已电话通知` }).click();
  await expect(page.locator(".calls-person", { hasText: who }).first()).toContainText("已通知（林秀珍");
});
