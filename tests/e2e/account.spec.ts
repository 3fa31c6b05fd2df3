import { DEMO, expect, expectNoSeriousAxeViolations, signIn, smallTargets, test } from "./support";

// The account page: who you are, signing out everywhere, and the calendar subscription,
// whose secret link is shown once with a QR code for the phone.
test("a resident makes a calendar link, sees it with its QR code, and the page stays accessible", async ({ page, request }) => {
  await signIn(page, DEMO.resident, "/account");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的账号");
  await expectNoSeriousAxeViolations(page, "account page");
  expect(await smallTargets(page, "main"), "controls smaller than 44×44 CSS px").toEqual([]);

  await page.getByRole("button", { name: "生成订阅链接" }).click();
  const link = page.locator("main a[href^='webcal://']").first();
  await expect(link).toBeVisible();
  const webcal = (await link.getAttribute("href"))!;
  expect(webcal).toMatch(/^webcal:\/\/[^/]+\/feeds\/me\/[A-Za-z0-9_-]{40,}\.ics$/);
  const qr = page.locator("main img[src^='data:image/svg+xml']");
  await expect(qr).toBeVisible();
  expect((await qr.getAttribute("alt")) ?? "").not.toBe("");
  await expectNoSeriousAxeViolations(page, "account page with a new calendar link");
  expect(await smallTargets(page, "main"), "controls smaller than 44×44 CSS px").toEqual([]);

  // The link works as a calendar feed.
  const feed = await request.get(webcal.replace(/^webcal:\/\/[^/]+/, ""));
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toContain("text/calendar");
  expect(await feed.text()).toContain("BEGIN:VCALENDAR");

  // Shown once: after a reload the page no longer carries the secret.
  await page.reload();
  await expect(page.locator("main a[href^='webcal://']").filter({ hasText: /feeds\/me/ })).toHaveCount(0);
  expect(await page.content()).not.toContain(webcal.split("/feeds/me/")[1]!.replace(".ics", ""));
});
