/**
 * The bundle is the production server (`npm run dev` runs server.ts with Vite). React, React
 * Router and Express choose their production or development builds from NODE_ENV when they
 * first load, and `npm start` set none: every page was rendered by React's development build
 * (prop validation, warnings, `jsxDEV`), about a quarter of a signed-in page's CPU. start.ts
 * imports this module first, before anything loads them. An explicit NODE_ENV is kept.
 */
import { createRequire } from "node:module";

process.env.NODE_ENV ??= "production";

/** Which build of React's server renderer this process loaded, or "none" before the app loads it. */
export function loadedReactBuild(): "production" | "development" | "none" {
  const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => /react-dom-server\.node\.[\w.]+\.js$/.test(file));
  if (loaded.some((file) => file.includes(".development."))) return "development";
  return loaded.length > 0 ? "production" : "none";
}
