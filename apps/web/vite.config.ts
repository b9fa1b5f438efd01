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
  // The planner's engine chunk (price book + kernel, ~200 KB gzip, 2.4 MB raw) is loaded lazily by
  // /plan only. Its price book stays a JavaScript object literal: emitted as `JSON.parse("…")`
  // instead, the main thread spent longer evaluating the chunk's modules and the cold visit got
  // slower (ADR 033; the literal's parsing can happen off the main thread, a JSON.parse cannot).
  build: {
    chunkSizeWarningLimit: 2600,
    rolldownOptions: {
      output: {
        // The field definitions are used by the wizard and results pages and by the engine. Left
        // to itself, the bundler put them inside the engine chunk, so the results page's own
        // chunk imported the 2.4 MB engine statically and could not render anything until it had
        // downloaded; in a chunk of their own, the page mounts while the engine loads (ADR 039).
        codeSplitting: { groups: [{ name: "fields", test: /[\\/]src[\\/]lib[\\/]fields(\.ts$|[\\/])/ }] },
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8787" } },
});
