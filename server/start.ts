/**
 * The bundled server's entry (build/hearth/server.mjs, ADR 29): it wraps the router's route
 * matching (ADR 33) before anything loads Remix, then starts the server (build/hearth/main.mjs,
 * the bundle of server.ts). The server is imported dynamically because a static import's
 * packages would load before this module's first line runs.
 */
import { installCachedMatching } from "./route-match-cache";

const outcome = installCachedMatching();
if (outcome !== "cached") console.warn(`[hearth] route matching is not cached (${outcome}): pages answer more slowly`);
await import(new URL("./main.mjs", import.meta.url).href);
