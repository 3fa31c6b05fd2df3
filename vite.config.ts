import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        // Off: the app has few routes, and lazy discovery fetches a manifest for every link
        // that scrolls into view (aborted, and logged as failed, when the visitor moves on).
        v3_lazyRouteDiscovery: false,
      },
    }),
    tsconfigPaths(),
  ],
  // The database drivers are server-only and must not be bundled: PGlite ships WASM files
  // it loads from its own package directory.
  ssr: { external: ["@electric-sql/pglite", "pg", "@node-rs/argon2"] },
  build: { target: "es2022" },
});
