// `npm start`: build the web app, migrate and seed the local D1, start the API Worker on PORT
// (default 8787) with the compute Worker beside it (ADR 029), and print the URL once it answers.
import path from "node:path";
import { prepareLocal, printDevKey, repoRoot, startWorker } from "./lib/dev-server.ts";

const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be a whole number from 1 to 65535, got "${process.env.PORT}"`);
  process.exit(2);
}
const persistTo = path.join(repoRoot, ".wrangler/state");
const startedAt = performance.now();

await prepareLocal({ persistTo });
await printDevKey(persistTo);
const worker = await startWorker({ port, persistTo, showLogs: true, readyTimeoutMs: 120_000 });
const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
console.log(`\nAI Factory Planner is running at ${worker.url}  (healthy after ${seconds} s)`);
console.log(`  web app: ${worker.url}/`);
console.log(`  API:     ${worker.url}/api/v1/health`);
console.log("Press Ctrl+C to stop.\n");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void worker.stop().then(() => process.exit(0));
  });
}
worker.child.on("exit", (code) => process.exit(code ?? 0));
