/**
 * Remix's flat routes nest `a.b.tsx` inside `a.tsx` when both exist: the parent renders and the
 * child appears only where the parent puts an <Outlet />. A parent page without one shows
 * itself at the child's URL (the household page once showed the household list), while the
 * child's loader still runs. A page that is not meant to sit inside another opts out with a
 * trailing underscore (`a_.b.tsx`).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listRouteFiles, ROUTES_DIR } from "../support/route-files";

const dir = ROUTES_DIR;
// A folder route (desk/route.tsx) is named by its folder, as Remix does.
const routes = listRouteFiles();
const files = routes.map((route) => route.file);
const nameOf = (file: string) => routes.find((route) => route.file === file)!.name;
/** Dots inside [ ] are literal (feeds.$category[.]ics). */
const segmentsOf = (name: string) => name.match(/(?:\[[^\]]*\]|[^.])+/g) ?? [];
const source = (file: string) => fs.readFileSync(path.join(dir, file), "utf8");
const isPage = (file: string) => /export default function/.test(source(file));
const byName = new Map(files.map((f) => [nameOf(f), f]));

/** Every page with its nearest parent page, as Remix nests them. */
function nestedPages() {
  const pairs: { child: string; parent: string }[] = [];
  for (const file of files) {
    if (!isPage(file)) continue;
    const segments = segmentsOf(nameOf(file));
    for (let n = segments.length - 1; n > 0; n--) {
      const parent = byName.get(segments.slice(0, n).join("."));
      if (parent && isPage(parent)) {
        pairs.push({ child: file, parent });
        break;
      }
    }
  }
  return pairs;
}

describe("nested pages", () => {
  it("finds the nesting it is meant to check (calendar's views sit inside calendar.tsx)", () => {
    expect(nestedPages()).toContainEqual({ child: "calendar.week.tsx", parent: "calendar.tsx" });
  });

  it("every page with a child page renders an <Outlet />", () => {
    const missing = nestedPages()
      .filter(({ parent }) => !/<Outlet\b/.test(source(parent)))
      .map(({ child, parent }) => `${child} is nested in ${parent}, which has no <Outlet />`);
    expect(missing).toEqual([]);
  });
});
