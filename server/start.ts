/**
 * The bundled server's entry (build/hearth/server.mjs, ADR 29): it wraps the router's route
 * matching (ADR 33) and sets NODE_ENV before anything loads React or Remix, then starts the server (build/hearth/main.mjs,
 * the bundle of server.ts). The server is imported dynamically because a static import's
 * packages would load before this module's first line runs.
 */
import { loadedReactBuild } from "./production-mode"; // first: it sets NODE_ENV before React loads
import { installCachedMatching } from "./route-match-cache";

const outcome = installCachedMatching();
if (outcome !== "cached") console.warn(`[hearth] route matching is not cached (${outcome}): pages answer more slowly`);
await import(new URL("./main.mjs", import.meta.url).href);
const react = loadedReactBuild();
if (react === "development") console.warn(`[hearth] React runs its development build (NODE_ENV=${process.env.NODE_ENV}): pages render more slowly`);
else console.log(`[hearth] React: ${react} build`);
