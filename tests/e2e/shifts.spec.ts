/**
 * 我的排班 end to end, on the demo community in a real Chromium:
 * - an admin adds a skill; the coordinator gives it to 林秀珍 (member@, a volunteer), puts a
 *   place of that skill on two new one-off sessions, and proposes her for the first;
 * - 林秀珍 sees the proposal on 我的排班 as 等您确认, confirms it, then takes the second
 *   (an open shift for her skill) with 报名; both are then listed as 已确认.
 * Dates come from "now" at the station, so the spec runs on any day.
 */
import type { Page } from "@playwright/test";
import { DEMO, expect, expectNoSeriousAxeViolations, goto, hydrated, signIn, smallTargets, test } from "./support";
import { createOneOffSession } from "./signup-support";

const MEMBER = "member@fuwen.example";
const MEMBER_NAME = "林秀珍";

async function switchUser(page: Page, email: string, to: string) {
  await page.context().clearCookies();
  await signIn(page, email, to);
}

/** On the session's roster page: one place of `skill`; returns the place's cell. */
async function addPlace(page: Page, sessionId: number, skill: string) {
  await goto(page, `/manage/sessions/${sessionId}/roster`);
  await page.getByLabel("岗位", { exact: true }).selectOption({ label: skill });
  await page.getByLabel("人数", { exact: true }).fill("1");
  await page.getByRole("button", { name: "添加", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("已添加排班需求。");
  await expect(page.locator("li.roster-cell")).toHaveCount(1);
  return page.locator("li.roster-cell").first();
}

test("a volunteer confirms a proposed shift and takes an open one on 我的排班", async ({ page }) => {
  test.setTimeout(120_000);
  const stamp = String(Date.now() % 1_000_000);
  const skill = `茶水服务${stamp}`;
  const proposedTitle = `排班确认${stamp}`;
  const openTitle = `空缺班次${stamp}`;

  // --- An admin adds the skill.
  await signIn(page, DEMO.admin, "/manage/skills");
  const create = page.locator("form", { has: page.locator('input[name="intent"][value="create"]') });
  await create.getByLabel("代码（小写英文）").fill(`e2e-tea-${stamp}`);
  await create.getByLabel("中文名").fill(skill);
  await create.getByLabel("英文名").fill(`Tea ${stamp}`);
  await create.getByRole("button", { name: "添加技能" }).click();
  await expect(page.getByRole("status")).toHaveText("技能已添加。");

  // --- The coordinator gives it to 林秀珍.
  await switchUser(page, DEMO.coordinator, `/manage/skills?q=${encodeURIComponent(MEMBER_NAME)}`);
  const card = page.locator("li.shift-card", { hasText: MEMBER_NAME }).first();
  await card.locator("select[name=skillId]").selectOption({ label: skill });
  await card.getByRole("button", { name: "添加技能" }).click();
  await expect(page.getByRole("status")).toHaveText("技能已添加。");
  await expect(page.locator("li.shift-card", { hasText: MEMBER_NAME }).first().locator(".skill-tags")).toContainText(skill);

  // --- 林秀珍 says she can help on Mondays and cannot come one day next year (her own page).
  await switchUser(page, MEMBER, "/shifts/availability");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我什么时候有空");
  const monday = page.getByRole("group", { name: "星期一", exact: true });
  await monday.getByLabel("从").first().fill("08:00");
  await monday.getByLabel("到").first().fill("11:30");
  await page.getByRole("button", { name: "保存每周时间" }).click();
  await expect(page.getByRole("status")).toHaveText("每周时间已保存。");
  await expect(page.getByRole("group", { name: "星期一", exact: true }).getByLabel("从").first()).toHaveValue("08:00");
  const away = `${new Date().getUTCFullYear() + 1}-03-02`;
  await page.getByLabel("从哪天").fill(away);
  await page.getByLabel("到哪天").fill(away);
  await page.getByRole("button", { name: "添加不能来的日子" }).click();
  await expect(page.getByRole("status")).toHaveText("已添加。");
  await expect(page.locator(".blackout-list")).toContainText("3月2日");

  // --- Two sessions on different days, one place each; 林秀珍 is proposed for the first.
  await switchUser(page, DEMO.coordinator, "/manage");
  const first = await createOneOffSession(page, { title: proposedTitle, capacity: 10, daysAhead: 9 });
  const second = await createOneOffSession(page, { title: openTitle, capacity: 10, daysAhead: 10 });
  const cell = await addPlace(page, first.id, skill);
  // The assignment must really be posted: in one CI run the click right after "添加" sent
  // nothing (so only the listed person counts, not the button). Clicked again only when no
  // POST left within 8 s. The picker lists her as free, with her button.
  await expect(async () => {
    const posted = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes(`/manage/sessions/${first.id}/roster`), {
      timeout: 8_000,
    });
    await cell.getByRole("button", { name: `安排 ${MEMBER_NAME}` }).click();
    await posted;
  }).toPass({ timeout: 30_000 });
  await expect(page.locator("li.roster-cell").first().locator("li.roster-person")).toContainText(MEMBER_NAME);
  await addPlace(page, second.id, skill);

  // --- 林秀珍 opens 我的排班: the proposal waits for her answer.
  await switchUser(page, MEMBER, "/shifts");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的排班");
  const coming = page.locator("li.shift-card", { hasText: proposedTitle });
  await expect(coming).toHaveCount(1);
  await expect(coming.locator(".shift-status")).toHaveText("等您确认");
  await expect(coming).toContainText(`岗位：${skill}`);
  await coming.getByRole("button", { name: "确认" }).click();
  await expect(page.getByRole("status")).toHaveText("好的，这个班次已确认。谢谢您！");
  await expect(coming.locator(".shift-status")).toHaveText("已确认");
  await expect(coming.getByRole("button", { name: "确认" })).toHaveCount(0);

  // --- The second session's place is offered to her as an open shift; she takes it.
  const offered = page.locator("li.shift-card", { hasText: openTitle });
  await expect(offered).toHaveCount(1);
  await expect(offered).toContainText("已有 0 人，需要 1 人");
  await offered.getByRole("button", { name: "报名" }).click();
  await expect(page.getByRole("status")).toHaveText("报名成功，谢谢您！");
  await hydrated(page);
  // Now it is hers: listed once, under her coming shifts, confirmed, and no longer offered.
  const taken = page.locator("li.shift-card", { hasText: openTitle });
  await expect(taken).toHaveCount(1);
  await expect(taken.locator(".shift-status")).toHaveText("已确认");
  await expect(taken.locator("summary", { hasText: "取消报名" })).toBeVisible();
  await expect(taken.getByRole("button", { name: "报名", exact: true })).toHaveCount(0);
});

test("the shifts pages have no serious axe findings and every target is at least 44 px", async ({ page }) => {
  test.setTimeout(120_000);
  // The heading proves each path shows its own page (not, say, a parent route's).
  const check = async (path: string, heading: string) => {
    await goto(page, path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await expectNoSeriousAxeViolations(page, path);
    expect(await smallTargets(page, "main"), `small targets on ${path}`).toEqual([]);
  };
  await signIn(page, MEMBER, "/shifts");
  await check("/shifts", "我的排班");
  await check("/shifts/availability", "我什么时候有空");
  await check("/shifts/hours", "我的服务时长");
  await switchUser(page, DEMO.admin, "/manage/skills");
  await check(`/manage/skills?q=${encodeURIComponent(MEMBER_NAME)}`, "技能管理");
  await check(`/manage/hours?q=${encodeURIComponent(MEMBER_NAME)}`, "服务时长登记");
  // The person chosen: the entry form and that person's entries.
  await page
    .getByRole("link", { name: new RegExp(MEMBER_NAME) })
    .first()
    .click();
  await expect(page).toHaveURL(/personId=\d+/);
  await hydrated(page);
  await expectNoSeriousAxeViolations(page, "/manage/hours with a person");
  expect(await smallTargets(page, "main")).toEqual([]);
});
