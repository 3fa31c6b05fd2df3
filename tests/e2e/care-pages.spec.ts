/**
 * The care net's pages as their people use them: a caretaker on a phone with large text
 * (我的联系户, the call list), and a coordinator at a desk (households, one household, the
 * call list, who was not reached, station settings). axe finds no serious or critical
 * violation, and every control is at least 44×44 CSS px where the caretaker taps.
 */
import { DEMO, expect, expectNoSeriousAxeViolations, goto, setPreferences, signIn, smallTargets, test, type TargetMeasure } from "./support";

// The demo's caretaker: an association member whose households have bookings tomorrow (demo/care.ts).
const CARETAKER = "member@fuwen.example";

test.describe("care net pages", () => {
  test("caretaker on a phone with large text: 我的联系户 and the call list", async ({ page, context, baseURL }, testInfo) => {
    await setPreferences(context, baseURL!, { locale: "zh-CN", largeText: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, CARETAKER, "/care");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的联系户");
    // Her households are listed, each person's phone a link that dials.
    await expect(page.locator('a[href^="tel:"]').first()).toBeVisible();
    await expectNoSeriousAxeViolations(page, "/care (large text, 390 px)");
    const failures: (TargetMeasure & { page: string })[] = [];
    for (const small of await smallTargets(page, "main")) failures.push({ ...small, page: "/care" });

    await goto(page, "/care/calls");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSeriousAxeViolations(page, "/care/calls (large text, 390 px)");
    for (const small of await smallTargets(page, "main")) failures.push({ ...small, page: "/care/calls" });
    await testInfo.attach("small-targets.json", { body: JSON.stringify(failures, null, 2), contentType: "application/json" });
    expect(failures, "controls smaller than 44×44 CSS px").toEqual([]);
    // Nothing runs off the side of a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  test("coordinator: households, a household, the call list, who was not reached", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, DEMO.coordinator, "/manage/households");
    await expectNoSeriousAxeViolations(page, "/manage/households");
    const hrefs = await page.locator('main a[href^="/manage/households/"]').evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    // The first household (the page also links to the import).
    const household = hrefs.find((href) => /^\/manage\/households\/\d+$/.test(href));
    expect(household).toMatch(/^\/manage\/households\/\d+$/);
    await goto(page, household!);
    // The household's own page, not the list again (it once sat inside the list's route without an outlet).
    await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("联系户管理");
    await expectNoSeriousAxeViolations(page, household!);
    for (const path of ["/manage/calls", "/manage/calls/not-reached"]) {
      await goto(page, path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoSeriousAxeViolations(page, path);
    }
  });

  test("admin: station settings (phone and address every 不方便上网 hint shows)", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, DEMO.admin, "/manage/station");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSeriousAxeViolations(page, "/manage/station");
  });
});
