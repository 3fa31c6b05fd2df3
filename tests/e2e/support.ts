/**
 * Shared end-to-end fixtures and helpers.
 *
 * Every test that imports `test` from here is watched automatically: any console error,
 * uncaught page error, failed request or HTTP error response on any page of the test's
 * browser context fails the test after it ran. A test that provokes an error on purpose
 * (a refused form answers 400) says so with `problems.allow(pattern, reason)`.
 */
import { test as base, expect, type BrowserContext, type Locator, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { DateTime } from "luxon";
import { translator } from "../../models/i18n";

/**
 * The app's own catalogs, for texts whose punctuation is still being settled (ASCII or
 * full-width "：，（）"); short fixed texts are asserted literally in the specs.
 */
export const zh = translator("zh-CN");
export const en = translator("en");

export { expect };

export const ZONE = "Asia/Shanghai";
export const DEMO_PASSWORD = "hearth-demo-2026";
export const DEMO = {
  coordinator: "coordinator@fuwen.example",
  admin: "admin@fuwen.example",
  resident: "resident@fuwen.example",
  doctor: "doctor@fuwen.example",
} as const;

export interface ProblemLog {
  /** Everything seen so far, allowed or not. */
  readonly seen: string[];
  /** Accepts problems matching `pattern` for the rest of this test; `reason` is shown in the report. */
  allow(pattern: RegExp, reason: string): void;
}

function watch(context: BrowserContext, record: (text: string) => void) {
  const attach = (page: Page) => {
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const where = msg.location();
      record(`console.error on ${page.url()}: ${msg.text()}${where.url ? ` (${where.url}:${where.lineNumber})` : ""}`);
    });
    page.on("pageerror", (error) => record(`pageerror on ${page.url()}: ${error.message}`));
    page.on("requestfailed", (request) => {
      const reason = request.failure()?.errorText ?? "unknown";
      // Remix cancels the data fetch of a navigation that a newer one replaced (a second
      // click, a form submitted while the last was loading): the browser's doing, not a fault.
      if (reason === "net::ERR_ABORTED" && /\.data(\?|$)/.test(request.url())) return;
      record(`requestfailed ${request.method()} ${request.url()}: ${reason}`);
    });
    page.on("response", (response) => {
      if (response.status() >= 400) record(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
    });
  };
  context.on("page", attach);
  for (const page of context.pages()) attach(page);
}

export const test = base.extend<{ problems: ProblemLog }>({
  problems: [
    async ({ context }, use, testInfo) => {
      const seen: string[] = [];
      const allowed: { pattern: RegExp; reason: string }[] = [];
      watch(context, (text) => seen.push(text));
      await use({
        seen,
        allow: (pattern, reason) => {
          allowed.push({ pattern, reason });
        },
      });
      const accepted = seen.filter((p) => allowed.some((a) => a.pattern.test(p)));
      if (accepted.length) {
        testInfo.annotations.push({
          type: "allowed-problems",
          description: accepted.map((p) => `${p} [${allowed.find((a) => a.pattern.test(p))!.reason}]`).join("\n"),
        });
      }
      const unexpected = seen.filter((p) => !allowed.some((a) => a.pattern.test(p)));
      expect(unexpected, "console errors, page errors, failed requests or HTTP errors while the test ran").toEqual([]);
    },
    { auto: true },
  ],
});

/** "Now" at the station. */
export const stationNow = () => DateTime.now().setZone(ZONE);

/** What the server prints for dates, so assertions match its exact text. */
export const fmt = {
  month: (d: DateTime, locale: "zh-CN" | "en") => d.setLocale(locale).toLocaleString({ year: "numeric", month: "long" }),
  dayHeading: (d: DateTime, locale: "zh-CN" | "en") => d.setLocale(locale).toLocaleString({ month: "long", day: "numeric", weekday: "long" }),
  dayLong: (d: DateTime, locale: "zh-CN" | "en") =>
    d.setLocale(locale).toLocaleString({ year: "numeric", month: "long", day: "numeric", weekday: "long" }),
};

/** A local date "yyyy-MM-dd" at the station. */
export const localDate = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });

/** Waits until React has hydrated the document, so clicks go through the client router. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => {
    const el = document.querySelector("header a.brand");
    return !!el && Object.keys(el).some((k) => k.startsWith("__reactFiber") || k.startsWith("__reactProps"));
  });
}

export async function goto(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), `GET ${path}`).toBeLessThan(400);
  await hydrated(page);
  return response;
}

/** Signs in through the login form (labels 手机号或邮箱 / 密码) and waits for the redirect. */
export async function signIn(page: Page, email: string, redirectTo = "/calendar") {
  await goto(page, `/login?redirectTo=${encodeURIComponent(redirectTo)}`);
  await page.getByLabel("手机号或邮箱").fill(email);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForURL((url) => url.pathname === redirectTo.split("?")[0]);
  await hydrated(page);
}

/** Sets the preference cookie directly (language, text size), as the header buttons would. */
export async function setPreferences(context: BrowserContext, baseURL: string, prefs: { locale: "zh-CN" | "en"; largeText: boolean }) {
  await context.addCookies([{ name: "hearth_prefs", value: Buffer.from(JSON.stringify(prefs)).toString("base64"), url: baseURL }]);
}

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * The rules run: WCAG 2.0/2.1/2.2 A and AA plus axe's best practices. This is axe's default
 * set and, in addition, `target-size` (WCAG 2.2 AA 2.5.8), which axe leaves out by default.
 */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** A violation already reported and tracked in known-issues.spec.ts, so the other checks still guard the rest. */
export interface KnownAxeIssue {
  rule: string;
  /** A CSS selector the offending element matches. */
  element: string;
}

/** Runs axe-core on the page and returns its serious and critical violations, minus known ones. */
export async function seriousAxeViolations(page: Page, known: KnownAxeIssue[] = []): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const findings: AxeFinding[] = [];
  for (const v of results.violations) {
    if (v.impact !== "serious" && v.impact !== "critical") continue;
    const targets: string[] = [];
    for (const node of v.nodes) {
      const target = node.target.join(" ");
      const selectors = known.filter((k) => k.rule === v.id).map((k) => k.element);
      const isKnown =
        selectors.length > 0 &&
        (await page.evaluate(
          ([t, sels]) => {
            const el = document.querySelector(t as string);
            return !!el && (sels as string[]).some((s) => el.matches(s));
          },
          [target, selectors] as const,
        ));
      if (!isKnown) targets.push(target);
    }
    if (targets.length) findings.push({ rule: v.id, impact: v.impact, help: v.help, targets });
  }
  return findings;
}

export async function expectNoSeriousAxeViolations(page: Page, label: string, known: KnownAxeIssue[] = []) {
  const findings = await seriousAxeViolations(page, known);
  expect(findings, `axe serious/critical violations on ${label} (${page.url()})`).toEqual([]);
}

export interface TargetMeasure {
  selector: string;
  text: string;
  width: number;
  height: number;
}

/**
 * Interactive elements inside `scope` that are visible and smaller than 44×44 CSS px.
 * Exempt, as WCAG 2.5.5 exempts them: a link that runs inline inside a sentence (other text
 * shares its block). A checkbox or radio inside its label is measured by its label.
 * Elements moved off-screen (the skip link before it has focus) are not targets yet.
 */
export async function smallTargets(page: Page, scope: string): Promise<TargetMeasure[]> {
  return page.evaluate((scopeSelector) => {
    const describe = (el: Element) => {
      const parts: string[] = [];
      for (let node: Element | null = el; node && node !== document.body && parts.length < 4; node = node.parentElement) {
        const cls = [...node.classList].map((c) => `.${c}`).join("");
        parts.unshift(`${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ""}${cls}`);
      }
      return parts.join(" > ");
    };
    const isInlineInSentence = (el: Element) => {
      if (el.tagName !== "A" || !getComputedStyle(el).display.startsWith("inline")) return false;
      let block = el.parentElement;
      while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
      if (!block) return false;
      const own = (el.textContent ?? "").replace(/\s+/g, "");
      const all = (block.textContent ?? "").replace(/\s+/g, "");
      return all.length > own.length;
    };
    const out: { selector: string; text: string; width: number; height: number }[] = [];
    for (const root of document.querySelectorAll(scopeSelector)) {
      const candidates = root.querySelectorAll(
        'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="link"], [role="tab"]',
      );
      for (const el of candidates) {
        const style = getComputedStyle(el);
        let rect = el.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0 || style.visibility === "hidden") continue;
        if (rect.right <= 0 || rect.bottom <= 0) continue;
        if (isInlineInSentence(el)) continue;
        const type = (el as HTMLInputElement).type;
        const label = el.closest("label");
        if (el.tagName === "INPUT" && (type === "checkbox" || type === "radio") && label) rect = label.getBoundingClientRect();
        if (rect.width + 0.5 < 44 || rect.height + 0.5 < 44) {
          out.push({
            selector: describe(el),
            text: (el.textContent ?? (el as HTMLInputElement).value ?? "").trim().replace(/\s+/g, " ").slice(0, 40),
            width: Math.round(rect.width * 10) / 10,
            height: Math.round(rect.height * 10) / 10,
          });
        }
      }
    }
    return out;
  }, scope);
}

/** The first date from today on (at the station) that the seeded weekday tai chi class (07:30, Mon–Fri) still lies ahead. */
export function nextSeededTaiChiDate(now = stationNow()): DateTime {
  for (let day = now.startOf("day"); ; day = day.plus({ days: 1 })) {
    if (day.weekday <= 5 && day.set({ hour: 7, minute: 30 }) > now) return day;
  }
}

/** The expected series preview: the next `n` sessions on the given ISO weekdays at hh:mm, from now on. */
export function expectedWeeklyOccurrences(weekdays: number[], hour: number, minute: number, n: number, now = stationNow()): DateTime[] {
  const out: DateTime[] = [];
  for (let day = now.startOf("day"); out.length < n; day = day.plus({ days: 1 })) {
    const start = day.set({ hour, minute });
    if (weekdays.includes(day.weekday) && start >= now) out.push(start);
  }
  return out;
}

/**
 * A destructive action asks first: its first button (a <summary>) opens the step that says what
 * will happen, and only the second, a real submit, does it. Checks the step's words when given.
 */
export async function confirmAction(scope: Page | Locator, label: string, confirmLabel: string, consequence?: string | RegExp) {
  const page = "filter" in scope ? scope.page() : scope;
  const details = scope
    .locator("details.confirm-action")
    .filter({ has: page.locator("summary", { hasText: label }) })
    .first();
  await details.locator("summary").click();
  const step = details.locator(".confirm-step");
  await expect(step).toBeVisible();
  if (consequence) await expect(step.locator(".confirm-what")).toHaveText(consequence);
  await step.getByRole("button", { name: confirmLabel }).click();
}
