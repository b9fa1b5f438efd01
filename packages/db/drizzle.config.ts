import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes a new SQL migration from the schema; wrangler applies them
// (`npm run db:migrate`, and `npm start` does it for you).
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/schema/index.ts",
  out: "./migrations",
});
