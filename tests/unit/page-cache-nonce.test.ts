// The page cache gives a cached copy's scripts the serving request's nonce by swapping bytes
// (server/page-cache.ts `swapNonce`): it must do exactly what the text's replaceAll did.
import { describe, expect, it } from "vitest";
import { swapNonce } from "../../server/page-cache";

const OLD = "q1w2e3r4t5y6u7i8o9p0aA==";
const NEW = "Zz+/Yy09Xx87Ww65Vv43Uu==";

describe("swapNonce", () => {
  it("replaces every occurrence among multi-byte text, as the text's replaceAll would, and leaves the kept copy alone", () => {
    const html = `<script nonce="${OLD}">1</script><p>太极拳晨练 · 社区广场 😀</p><script nonce="${OLD}">2</script>${OLD}`;
    const kept = Buffer.from(html);
    const served = swapNonce(kept, OLD, NEW);
    expect(served.toString("utf8")).toBe(html.replaceAll(OLD, NEW));
    expect(served.toString("utf8")).not.toContain(OLD);
    expect(kept.toString("utf8")).toBe(html);
  });

  it("falls back to the text when the nonces differ in length, and copies a page without one unchanged", () => {
    const html = `<script nonce="${OLD}"></script>长者`;
    expect(swapNonce(Buffer.from(html), OLD, "short").toString("utf8")).toBe(html.replaceAll(OLD, "short"));
    const plain = Buffer.from("<p>没有脚本</p>");
    expect(swapNonce(plain, OLD, NEW).equals(plain)).toBe(true);
  });
});
