import { DEMO, expect, expectNoSeriousAxeViolations, goto, signIn, smallTargets, test } from "./support";
import { openTaiChiSessionWithRoom } from "./signup-support";

// Mail end to end: a resident subscribes to his calendar and signs up; the worker inside the
// server (WORKER_POLL_SECONDS=1 in playwright.config.ts, no SMTP_URL) writes the confirmation
// to the outbox, where an admin reads it with its .ics part; its unsubscribe link asks first
// (GET changes nothing) and stops the mails on the button.
test("a resident's signup confirmation reaches the admin's outbox with its calendar part, and its unsubscribe link works", async ({
  page,
  browser,
}) => {
  // --- The resident: account page (calendar link with QR, mail settings), then a signup.
  await signIn(page, DEMO.resident, "/account");
  const mailSettings = page.getByRole("region", { name: "邮件通知" });
  await expect(mailSettings.getByRole("checkbox")).toHaveCount(6);
  await expect(mailSettings.getByRole("checkbox", { name: "活动和咨询预约开始前的提醒邮件" })).toBeChecked();
  await expect(mailSettings.getByLabel("邮件语言")).toHaveValue("zh-CN");
  // "重新生成" when an earlier spec in this server already made the resident a link.
  await page.getByRole("button", { name: /^(生成订阅链接|重新生成)$/ }).click();
  await expect(page.locator("main a[href^='webcal://']").first()).toBeVisible();
  await expect(page.locator("main img[src^='data:image/svg+xml']")).toBeVisible();
  await expectNoSeriousAxeViolations(page, "account page with mail settings");

  const { day } = await openTaiChiSessionWithRoom(page);
  const panel = page.getByRole("region", { name: "报名" });
  await panel.getByRole("button", { name: "报名", exact: true }).click();
  await expect(page.locator("p.notice-ok").filter({ hasText: "报名成功！" })).toBeVisible();

  // --- The admin, in a browser of her own.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, DEMO.admin, "/manage/outbox");
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText("发件箱");
  const row = admin
    .locator("table.data-table tbody tr")
    .filter({ hasText: DEMO.resident })
    .filter({ hasText: "太极拳晨练" })
    .filter({ hasText: `${day.month}月${day.day}日` })
    .filter({ hasText: "报名成功" });
  // The worker polls every second: reload until its mail is listed.
  await expect(async () => {
    await goto(admin, "/manage/outbox");
    // Earlier specs may have booked and cancelled this session too: the newest row is this signup's.
    await expect(row.first()).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 30_000 });
  await expectNoSeriousAxeViolations(admin, "outbox list");

  await row.first().getByRole("link").click();
  await expect(admin).toHaveURL(/\/manage\/outbox\/\d+$/);
  const headers = admin.locator("dl.mail-headers");
  await expect(headers).toContainText(DEMO.resident);
  await expect(headers).toContainText("太极拳晨练");
  await expect(headers).toContainText(/Message-ID/);
  const ics = admin.locator("pre.mail-ics");
  await expect(ics).toContainText("BEGIN:VCALENDAR");
  await expect(ics).toContainText("BEGIN:VEVENT");
  await expect(admin.locator("pre.mail-text").first()).toContainText("您的报名已成功");
  await expect(admin.locator("pre.mail-text").first()).toContainText("/unsubscribe/");
  await expectNoSeriousAxeViolations(admin, "outbox message");

  // The raw message downloads as message/rfc822.
  const emlHref = (await admin.getByRole("link", { name: "下载 .eml 文件" }).getAttribute("href"))!;
  const eml = await admin.request.get(emlHref);
  expect(eml.status()).toBe(200);
  expect(eml.headers()["content-type"]).toBe("message/rfc822");
  expect(await eml.text()).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");

  // --- The unsubscribe link from the mail: a question on GET, done on the button.
  const unsubscribeText = (await headers.locator("xpath=div[dt[contains(., 'List-Unsubscribe')]]/dd").textContent()) ?? "";
  // The header names the one-click URL (for the mail program's POST); a person opens the page.
  const oneClickUrl = /<([^>]+)>/.exec(unsubscribeText)![1]!;
  const oneClickPath = new URL(oneClickUrl).pathname;
  expect(oneClickPath).toMatch(/^\/unsubscribe\/[A-Za-z0-9]+\/one-click$/);
  const unsubscribePath = oneClickPath.replace(/\/one-click$/, "");
  const stranger = await (await browser.newContext()).newPage();
  await goto(stranger, unsubscribePath);
  await expect(stranger.getByRole("heading", { level: 1 })).toHaveText("退订邮件");
  await expect(stranger.locator("main")).not.toContainText(DEMO.resident);
  await expectNoSeriousAxeViolations(stranger, "unsubscribe page");
  expect(await smallTargets(stranger, "main"), "controls smaller than 44×44 CSS px").toEqual([]);
  // Fetching the page did not unsubscribe: the account page still has every box ticked.
  await goto(page, "/account");
  await expect(mailSettings.getByRole("checkbox", { name: "报名、咨询预约和取消的确认邮件" })).toBeChecked();

  await stranger.getByRole("button", { name: "不再接收" }).click();
  await expect(stranger.getByRole("status")).toContainText("已退订");
  await goto(page, "/account");
  await expect(mailSettings.getByRole("checkbox", { name: "报名、咨询预约和取消的确认邮件" })).not.toBeChecked();
  await expect(mailSettings.getByRole("checkbox", { name: "活动和咨询预约开始前的提醒邮件" })).toBeChecked();

  // Ticking it again on the account page turns the mails back on.
  await mailSettings.getByRole("checkbox", { name: "报名、咨询预约和取消的确认邮件" }).check();
  await mailSettings.getByRole("button", { name: "保存邮件设置" }).click();
  await expect(mailSettings.getByRole("status")).toHaveText("邮件设置已保存。");
  await goto(page, "/account");
  await expect(mailSettings.getByRole("checkbox", { name: "报名、咨询预约和取消的确认邮件" })).toBeChecked();

  // RFC 8058: the mail provider's POST from its own origin, with no cookie, stops them again.
  const provider = await stranger.request.post(oneClickPath, {
    form: { "List-Unsubscribe": "One-Click" },
    headers: { Origin: "https://mail.example.com" },
  });
  expect(provider.status()).toBe(200);
  expect(await provider.text()).toBe("已退订。");
  await goto(page, "/account");
  await expect(mailSettings.getByRole("checkbox", { name: "报名、咨询预约和取消的确认邮件" })).not.toBeChecked();
  await adminContext.close();
});

test("the admin's mail page shows the counts and how mail goes out", async ({ page }) => {
  await signIn(page, DEMO.admin, "/manage/mail");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("邮件通知");
  for (const label of ["待发送", "到时未发", "已发送", "发送失败", "未发送", "已撤销"]) {
    await expect(page.locator("dl.mail-counts dt").getByText(label, { exact: true })).toHaveCount(1);
  }
  await expect(page.getByText("没有设置邮件服务器（SMTP_URL）")).toBeVisible();
  await expectNoSeriousAxeViolations(page, "mail admin page");
  expect(await smallTargets(page, "main"), "controls smaller than 44×44 CSS px").toEqual([]);
});
