import { describe, expect, it } from "vitest";
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
// @ts-expect-error -- the lint configuration is plain JavaScript, read here as the linter reads it.
import config from "../../eslint.config.js";

/**
 * The import-cycle rule is only worth having if it can see a cycle: without the TypeScript
 * extensions and parser in its settings it read no .ts dependency and passed every cycle.
 * Lint a two-file cycle with the project's own no-cycle block, and a file that imports into it without being part of it.
 */
const noCycleBlock = (config as Linter.Config[]).find((block) => block.rules?.["import-x/no-cycle"]);

async function lint(file: string) {
  const eslint = new ESLint({
    overrideConfigFile: true,
    ignore: false,
    overrideConfig: [{ ...noCycleBlock, files: ["tests/unit/fixtures/**/*.ts"], languageOptions: { parser: tseslint.parser } }],
  });
  const [result] = await eslint.lintFiles([file]);
  return result!.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe("import cycles", () => {
  it("the project's lint configuration has the no-cycle rule on the product's folders", () => {
    expect(noCycleBlock?.files).toEqual(expect.arrayContaining(["models/**/*.ts", "app/**/*.{ts,tsx}"]));
  });

  it("reports a planted two-file cycle", async () => {
    expect(await lint("tests/unit/fixtures/import-cycle/first.ts")).toEqual([expect.stringContaining("import-x/no-cycle: Dependency cycle")]);
  });

  it("passes a file whose imports reach the cycle but lead nowhere back", async () => {
    expect(await lint("tests/unit/fixtures/import-cycle/outside.ts")).toEqual([]);
  });
});
