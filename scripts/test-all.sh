#!/usr/bin/env bash
# `npm test`: the whole suite, in the order that fails fastest. PostgreSQL runs when
# TEST_DATABASE_URL is set (always in CI); end-to-end tests need Debian's chromium.
#
# Two cores: what is independent runs side by side, in two lanes, each line prefixed with its
# name. The checks and the build share the cores; the end-to-end suite runs in two shards, each
# with its own server and embedded database (playwright.config.ts, E2E_SHARD).
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC
mkdir -p .reports
rm -f .reports/vitest.json .reports/e2e*.json

step() { printf '\n== %s\n' "$1"; }

# Runs "$@" with every output line prefixed by [name]; returns its exit status.
labelled() {
  local name=$1
  shift
  "$@" 2>&1 | sed -u "s/^/[$name] /"
  return "${PIPESTATUS[0]}"
}

# Waits for every pid given and fails if any of them failed (after all have finished).
wait_all() {
  local failed=0
  for pid in "$@"; do wait "$pid" || failed=1; done
  return $failed
}

step "typecheck, format, lint, schema drift and build (two lanes)"
# The build comes before the tests: the HTTP-stack, request-log and canary-scan tests run the
# production build, and must run this tree's, never a stale one (or none, on a clean checkout).
(
  labelled typecheck npx tsc --noEmit
  labelled format npx prettier --check . --log-level=warn
  labelled build node scripts/build-if-changed.mjs --force
) &
lane_a=$!
(
  labelled lint npx eslint . --max-warnings=0
  labelled drift npx tsx scripts/check-drift.ts
) &
lane_b=$!
wait_all "$lane_a" "$lane_b"

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "note: TEST_DATABASE_URL is not set; integration tests run on PGlite only."
fi
step "unit and integration tests"
npx vitest run --reporter=default --reporter=json --outputFile.json=.reports/vitest.json

step "end-to-end tests (Playwright, Chromium, two shards)"
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && [ "${CI:-}" != "true" ]; then
  echo "SKIPPED: no Chromium at /usr/bin/chromium (apt-get install chromium). CI never skips this."
else
  port=${E2E_PORT:-3100}
  E2E_SHARD=1/2 E2E_PORT=$port labelled e2e-1 npx playwright test &
  shard_1=$!
  E2E_SHARD=2/2 E2E_PORT=$((port + 1)) labelled e2e-2 npx playwright test &
  shard_2=$!
  # Both shards finish before the summary; a shard that failed without a failing test in its
  # report (its server did not start, say) still fails the run.
  wait_all "$shard_1" "$shard_2" || e2e_failed=1
  export E2E_SHARDS=2
fi
node scripts/test-summary.mjs
if [ "${e2e_failed:-0}" = 1 ]; then
  echo "An end-to-end shard exited with an error (see its [e2e-N] lines above)."
  exit 1
fi
