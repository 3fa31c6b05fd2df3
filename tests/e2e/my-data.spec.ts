import fs from "node:fs";
import { DEMO, expect, expectNoSeriousAxeViolations, goto, setPreferences, signIn, test } from "./support";
import { bookFirstFound, openTaiChiSessionWithRoom } from "./signup-support";

// 我的数据 (ADR 22): the coordinator books 王德福 (the demo resident) into a tai chi session at
// the desk; he opens his data on a phone in large text, sees who booked for him, and downloads
// it as JSON and CSV.
test.use({ viewport: { width: 390, height: 844 } });

test("a resident downloads her data and sees who booked for her", async ({ page, context, baseURL }) => {
  await setPreferences(context, baseURL!, { locale: "zh-CN", largeText: true });
  // A session he has not booked yet, found as he sees it.
  await signIn(page, DEMO.resident, "/calendar");
  const { id } = await openTaiChiSessionWithRoom(page);
  await context.clearCookies({ name: "hearth_session" });

  await signIn(page, DEMO.coordinator, "/manage");
  await goto(page, `/manage/sessions/${id}/book`);
  await bookFirstFound(page, "王德福");
  await context.clearCookies();
  await setPreferences(context, baseURL!, { locale: "zh-CN", largeText: true });

  await signIn(page, DEMO.resident, "/account");
  await page.getByRole("link", { name: "我的数据" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的数据");
  const bookings = page.getByRole("region", { name: /报名和出席/ });
  await expect(bookings.locator("dd", { hasText: "黄晓燕" }).first()).toBeVisible();
  await expect(page.getByRole("region", { name: /谁为我报名/ })).toContainText("黄晓燕");
  // Large text on a phone: nothing runs off the side.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoSeriousAxeViolations(page, "我的数据");

  const [json] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "下载（JSON 文件）" }).click()]);
  const data = JSON.parse(fs.readFileSync((await json.path())!, "utf8")) as { person: { fullName: string }; bookings: { bookedBy: string | null }[] };
  expect(data.person.fullName).toBe("王德福");
  expect(data.bookings.map((b) => b.bookedBy)).toContain("黄晓燕");
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "下载（表格 CSV 文件）" }).click()]);
  const text = fs.readFileSync((await csv.path())!, "utf8");
  expect(text).toContain("# 报名和出席");
  expect(text).toContain("黄晓燕");
});
