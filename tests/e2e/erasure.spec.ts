import type { Page } from "@playwright/test";
import { DEMO, expect, goto, hydrated, setPreferences, signIn, test } from "./support";

// Erasure (ADR 23) through the browser: the page shows what was removed and kept after the
// erasure, instead of reloading a loader that now finds nobody (a 404, or the sign-in page).
const PASSWORD = "erase-me-2026-please";

/** Registers a new resident through /register, signs in, and returns their person id (from their own export). */
async function registerResident(page: Page, fullName: string): Promise<number> {
  const phone = `139${String(Date.now() % 1e8).padStart(8, "0")}`;
  await goto(page, "/register");
  await page.getByLabel("姓名").fill(fullName);
  await page.getByLabel("手机号", { exact: true }).fill(phone);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "注册", exact: true }).click();
  // Registration does not sign in (it says the same whether the number was new): sign in now.
  await expect(page.getByRole("status")).toContainText("请用手机号和刚才设的密码登录");
  await goto(page, "/login?redirectTo=/account");
  await page.getByLabel("手机号或邮箱").fill(phone);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/account");
  await hydrated(page);
  const reply = await page.request.get("/account/data.json");
  expect(reply.status()).toBe(200);
  return ((await reply.json()) as { person: { id: number } }).person.id;
}

test.use({ viewport: { width: 390, height: 844 } });

test("a resident erases herself and sees what was removed", async ({ page, context, baseURL }) => {
  await setPreferences(context, baseURL!, { locale: "zh-CN", largeText: true });
  await registerResident(page, "删除测试甲");
  await goto(page, "/account/erase");
  await page.getByLabel("请输入您的登录密码来确认").fill(PASSWORD);
  await page.getByRole("button", { name: "确认删除我的个人信息" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您的个人信息已删除");
  await expect(page).toHaveURL(/\/account\/erase$/);
  // Signed out: the account is closed.
  expect((await page.request.get("/account", { maxRedirects: 0 })).status()).toBe(302);
});

test("a coordinator erases a person on request and the result stays on the page", async ({ browser, page, baseURL }) => {
  const other = await browser.newContext({ baseURL });
  const residentPage = await other.newPage();
  const personId = await registerResident(residentPage, "删除测试乙");
  await other.close();

  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, DEMO.coordinator, "/manage");
  await goto(page, `/manage/people/${personId}/erase`);
  await page.getByLabel("电话").check();
  await page.getByRole("button", { name: "确认删除" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("已删除个人信息");
  // Asked again, the page is gone: a person is erased once.
  expect((await page.request.get(`/manage/people/${personId}/erase`)).status()).toBe(404);
});
