/**
 * The coordinator's roster end to end, on the demo community in a real Chromium:
 * - an admin adds a skill, the coordinator gives it to 林秀珍 (member@), who says when she
 *   can help; the coordinator puts two places of that skill on a new one-off session;
 * - the coordinator opens the week grid (the gaps say "缺 1 人"), opens the suggestion,
 *   accepts it, and the grid shows 林秀珍 proposed;
 * - assigning her to the other place of the same session (an overlapping shift) is refused,
 *   and the reason, naming the shift she is already on, shows beside that cell.
 * Dates come from "now" at the station, so the spec runs on any day.
 */
import type { Page } from "@playwright/test";
import { DEMO, expect, expectNoSeriousAxeViolations, goto, hydrated, signIn, test } from "./support";
import { createOneOffSession } from "./signup-support";

const MEMBER = "member@fuwen.example";
const MEMBER_NAME = "林秀珍";

const isoWeek = (d: { weekYear: number; weekNumber: number }) => `${d.weekYear}-W${String(d.weekNumber).padStart(2, "0")}`;

async function switchUser(page: Page, email: string, to: string) {
  await page.context().clearCookies();
  await signIn(page, email, to);
}

test("the coordinator accepts a suggested roster, and an overlapping assignment is refused with its reason", async ({ page, problems }) => {
  test.setTimeout(120_000);
  const stamp = String(Date.now() % 1_000_000);
  const skill = `量血压${stamp}`;
  const title = `排班测试${stamp}`;

  // --- An admin adds the skill.
  await signIn(page, DEMO.admin, "/manage/skills");
  const create = page.locator("form", { has: page.locator('input[name="intent"][value="create"]') });
  await create.getByLabel("代码（小写英文）").fill(`e2e-bp-${stamp}`);
  await create.getByLabel("中文名").fill(skill);
  await create.getByLabel("英文名").fill(`Blood pressure ${stamp}`);
  await create.getByRole("button").click();
  await expect(page.getByLabel("中文名").first()).toBeVisible();
  await expect(page.locator(`input[value="${skill}"]`)).toHaveCount(1);

  // --- The coordinator gives it to 林秀珍.
  await switchUser(page, DEMO.coordinator, "/manage/skills");
  await goto(page, `/manage/skills?q=${encodeURIComponent(MEMBER_NAME)}`);
  const card = page.locator("li.shift-card", { hasText: `${MEMBER_NAME} (1961)` }).first();
  await card.locator("select[name=skillId]").selectOption({ label: skill });
  await card.getByRole("button").click();
  await expect(
    page
      .locator("li.shift-card", { hasText: `${MEMBER_NAME} (1961)` })
      .first()
      .locator(".skill-tags"),
  ).toContainText(skill);

  // --- 林秀珍 can help any day, all day. Posted as her availability form sends it (the page
  // itself is G2's; shifts.tsx renders no <Outlet/> yet, so /shifts/availability shows /shifts).
  await switchUser(page, MEMBER, "/shifts");
  const week7 = new URLSearchParams({ intent: "week" });
  for (let weekday = 1; weekday <= 7; weekday++) {
    week7.append("weekday", String(weekday));
    week7.append("start", "00:00");
    week7.append("end", "23:59");
  }
  const origin = new URL(page.url()).origin;
  const saved = await page.request.post("/shifts/availability", {
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
    data: week7.toString(),
    maxRedirects: 0,
  });
  expect(saved.status(), await saved.text()).toBe(302);
  expect(saved.headers()["location"]).toMatch(/done=week/);

  // --- The coordinator makes a session a week ahead with two places for the skill.
  await switchUser(page, DEMO.coordinator, "/manage");
  const { id, day } = await createOneOffSession(page, { title, capacity: 10, daysAhead: 8 });
  const week = isoWeek(day);
  await goto(page, `/manage/sessions/${id}/roster`);
  for (let n = 0; n < 2; n++) {
    await page.getByLabel("岗位", { exact: true }).selectOption({ label: skill });
    await page.getByLabel("人数", { exact: true }).fill("1");
    await page.getByRole("button", { name: "添加", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText("已添加排班需求。");
    await expect(page.locator("li.roster-cell")).toHaveCount(n + 1);
  }

  // --- The week grid: the session's row shows both places open, in words.
  await goto(page, `/manage/roster?week=${week}`);
  const row = () => page.locator("tr", { has: page.getByRole("link", { name: title }) });
  await expect(row().locator("li.roster-gap")).toHaveCount(2);
  await expect(row().locator(".roster-gap-label").first()).toHaveText("缺 1 人");
  await expectNoSeriousAxeViolations(page, "the roster week grid");

  // --- The suggestion proposes 林秀珍 for one place; the other stays open, with the reason.
  await page.getByRole("link", { name: "自动排班建议" }).click();
  await expect(page).toHaveURL(new RegExp(`/manage/roster/suggest\\?week=${week}$`));
  await hydrated(page);
  const proposed = page.locator("tr", { hasText: title });
  await expect(proposed).toHaveCount(1);
  await expect(proposed.getByRole("checkbox", { name: MEMBER_NAME })).toBeChecked();
  await expect(page.locator(".roster-open li", { hasText: title })).toContainText("缺 1 人：1 人这个时段已有安排");
  await expectNoSeriousAxeViolations(page, "the roster suggestion");
  await page.getByRole("button", { name: "全部采用" }).click();

  // --- Back on the grid: 林秀珍 is on one place, proposed (she still confirms).
  await expect(page).toHaveURL(new RegExp(`/manage/roster\\?week=${week}&accepted=\\d+$`));
  await hydrated(page);
  await expect(row().locator("li.roster-full")).toHaveCount(1);
  await expect(row().locator("li.roster-full .roster-person")).toHaveText(`${MEMBER_NAME} （待确认）`);

  // --- Assigning her to the other place of the same session overlaps: refused, reason shown there.
  const reason = "the refused overlapping assignment answers 409 on purpose";
  problems.allow(/HTTP 409 POST .*\/manage\/roster\.data/, reason);
  problems.allow(/status of 409 \(Conflict\) \(http:\/\/[^)]*\/manage\/roster\.data/, reason);
  const open = row().locator("li.roster-gap");
  await open.locator("select[name=personId]").selectOption({ label: MEMBER_NAME });
  await open.getByRole("button", { name: "安排" }).click();
  await expect(open.getByRole("alert")).toContainText(`这个时间已经排了班：${title}`);
  await expect(open.locator(".roster-gap-label")).toHaveText("缺 1 人");

  // --- On paper the grid keeps the names and gaps but not the forms.
  await page.emulateMedia({ media: "print" });
  await expect(open.locator("form")).toBeHidden();
  await expect(open.locator(".roster-gap-label")).toBeVisible();
  await expect(page.locator("header.site-header")).toBeHidden();
});
