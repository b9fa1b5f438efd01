import adapter from "@sveltejs/adapter-static";
import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";

// SvelteKit 3: the kit config lives in the Vite plugin. The app is a static SPA: the one
// Worker serves `build/` as assets and falls back to index.html for client-side routes.
export default defineConfig({
  plugins: [
    sveltekit({
      adapter: adapter({ fallback: "index.html", strict: true }),
      csrf: { trustedOrigins: [] },
    }),
  ],
  // The planner's engine chunk (price book + kernel, ~120 KB gzip) is loaded lazily by /plan only.
  build: { chunkSizeWarningLimit: 1600 },
  server: { proxy: { "/api": "http://127.0.0.1:8787" } },
});
