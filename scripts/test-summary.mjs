// Adds up the vitest and Playwright results into one closing line: "N passed, N failed".
import fs from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
const read = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null);

const vitest = read(".reports/vitest.json");
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + vitest.numTodoTests;
}
// One Playwright report, or one per shard when scripts/test-all.sh ran E2E_SHARDS of them.
const shards = Number(process.env.E2E_SHARDS ?? 0);
const e2eFiles = shards ? Array.from({ length: shards }, (_, i) => `.reports/e2e-shard-${i + 1}.json`) : [".reports/e2e.json"];
const e2eReports = e2eFiles.map(read);
for (const e2e of e2eReports.filter(Boolean)) {
  passed += e2e.stats.expected;
  failed += e2e.stats.unexpected + e2e.stats.flaky + (e2e.errors?.length ?? 0);
  skipped += e2e.stats.skipped;
}
const e2eMissing = e2eReports.some((r) => !r) && (shards > 0 || process.env.CI === "true");
// A missing report means a runner did not run: in CI that is a failure, not a smaller total.
const missing = [!vitest && "vitest", e2eMissing && "Playwright"].filter(Boolean);
if (missing.length) {
  console.error(`No results from ${missing.join(" and ")}.`);
  failed += 1;
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
