// The route modules of app/routes as Remix's flat routes find them (ADR 0032): a file directly
// in the folder, or a folder's route.tsx. The other files in a route's folder are that page's
// private code, not routes, so a test that lists routes from the disk must not count them.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROUTES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../app/routes");

export interface RouteFile {
  /** The route's id without "routes/": the file's name, or the folder's (`desk` for desk/route.tsx). */
  name: string;
  /** The module's path under app/routes: `login.tsx`, `desk/route.tsx`. */
  file: string;
}

export function listRouteFiles(): RouteFile[] {
  return fs
    .readdirSync(ROUTES_DIR, { withFileTypes: true })
    .flatMap((entry): RouteFile[] => {
      if (entry.isFile()) return /\.tsx?$/.test(entry.name) ? [{ name: entry.name.replace(/\.tsx?$/, ""), file: entry.name }] : [];
      const own = ["route.tsx", "route.ts"].find((f) => fs.existsSync(path.join(ROUTES_DIR, entry.name, f)));
      return own ? [{ name: entry.name, file: `${entry.name}/${own}` }] : [];
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Route file name -> URL path, with its parameters in place. */
export function routePath(file: string, params: Record<string, string>): string {
  return (
    "/" +
    file
      .replace(/(\/route)?\.tsx?$/, "")
      .replace(/\[\.\]/g, "~")
      .split(".")
      .filter((s) => !s.startsWith("_"))
      .map((s) => s.replace(/_$/, ""))
      .map((s) =>
        s === "$"
          ? (params["*"] ?? "x")
          : s.replace(/^\$([a-zA-Z]+)(~.*)?$/, (_, name: string, rest: string | undefined) => encodeURIComponent(params[name] ?? "1") + (rest ?? "")),
      )
      .join("/")
      .replace(/~/g, ".")
  );
}
