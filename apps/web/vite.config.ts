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
  server: { proxy: { "/api": "http://127.0.0.1:8787" } },
});
