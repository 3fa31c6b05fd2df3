#!/usr/bin/env bash
# `npm test`: the whole suite, in the order that fails fastest. PostgreSQL runs when
# TEST_DATABASE_URL is set (always in CI); end-to-end tests need Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC
mkdir -p .reports
rm -f .reports/vitest.json .reports/e2e.json

step() { printf '\n== %s\n' "$1"; }

step "typecheck"; npx tsc --noEmit
step "format"; npx prettier --check . --log-level=warn
step "lint"; npx eslint . --max-warnings=0
step "schema drift"; npx tsx scripts/check-drift.ts
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "note: TEST_DATABASE_URL is not set; integration tests run on PGlite only."
fi
# The build comes before the tests: the HTTP-stack, request-log and canary-scan tests run the
# production build, and must run this tree's, never a stale one (or none, on a clean checkout).
step "build"; node scripts/build-if-changed.mjs --force >/dev/null
step "unit and integration tests"
npx vitest run --reporter=default --reporter=json --outputFile.json=.reports/vitest.json
step "end-to-end tests (Playwright, Chromium)"
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && [ "${CI:-}" != "true" ]; then
  echo "SKIPPED: no Chromium at /usr/bin/chromium (apt-get install chromium). CI never skips this."
else
  npx playwright test
fi
node scripts/test-summary.mjs
