// The mail kinds are listed by hand in models/notifications/kinds/index.ts (the server runs as
// one bundle, where reading the folder at run time finds nothing): a file left off the list
// would leave its kinds without a renderer, failed by the worker as 'unsupported_kind'.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { kindModules } from "../../models/notifications/kinds/index";
import { rendererFor } from "../../models/notifications/render";
import type { NotificationKind } from "../../models/db/schema";

const kindsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../models/notifications/kinds");
const kindFiles = fs.readdirSync(kindsDir).filter((f) => f.endsWith(".ts") && f !== "index.ts" && !f.includes(".test."));

describe("the list of mail kinds", () => {
  it("names every file in the kinds folder, under its own name", () => {
    expect(Object.keys(kindModules).sort()).toEqual(kindFiles.map((f) => f.replace(/\.ts$/, "")).sort());
  });

  it.each(kindFiles)("%s: every renderer it exports is the one the worker finds", async (file) => {
    const mod = (await import(path.join(kindsDir, file))) as { renderers: Record<string, unknown> };
    expect(Object.keys(mod.renderers).length).toBeGreaterThan(0);
    for (const [kind, renderer] of Object.entries(mod.renderers)) {
      expect(await rendererFor(kind as NotificationKind)).toBe(renderer);
    }
  });
});
