import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

const RACES = "tests/integration/*-race{,s}.test.ts";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    env: { TZ: "UTC" },
    // Two cores; each integration file opens its own PGlite (~650 MB) and PostgreSQL database.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          exclude: [RACES],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The race tests hold 50–64 PostgreSQL connections each; two at once would pass
        // PostgreSQL's default max_connections (100). They run after the rest, one file at a time.
        extends: true,
        test: {
          name: "races",
          include: [RACES],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
