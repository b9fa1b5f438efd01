// `npm run bench:pdf`: the first proposal PDF of an isolate under load (issue #19 item 6), against
// the real Worker (`wrangler dev` on 127.0.0.1, its own temporary D1). Each case starts a fresh
// Worker (a fresh isolate), puts it under load (POST /evaluate at LOAD_RATE req/s and the worst
// optimise shape in a loop), then times GET /proposals/{id}.pdf: the first one, and REPEATS more.
//   cold:   the PDF is the isolate's first request about proposals;
//   warmed: a GET /proposals/{id} (JSON, as the web app's proposal page makes before its PDF
//           link is clicked) comes WARM_WAIT_MS before the first PDF.
// Prints each case's first and median later PDF. Loopback only, bounded in time.
import autocannon from "autocannon";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { worstOptimiserScenario } from "../packages/kernel/bench/optimiser-scenario.ts";
import { freePort, prepareLocal, repoRoot, startWorker } from "./lib/dev-server.ts";

const LOAD_RATE = Number(process.env.LOAD_RATE ?? 20);
const REPEATS = Number(process.env.REPEATS ?? 5);
const WARM_WAIT_MS = 2_000;
const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function json(response: Response, expected: number): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${response.url} → ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function timedPdf(url: string, key: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers: { Authorization: `Bearer ${key}` } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status !== 200 || bytes.length < 1000) throw new Error(`PDF → ${response.status}`);
  return performance.now() - started;
}

const persistTo = mkdtempSync(path.join(tmpdir(), "aifp-pdf-bench-"));
mkdirSync(path.join(repoRoot, "apps/web/build"), { recursive: true });
let exitCode = 0;
let running: { stop(): Promise<void> } | null = null;
try {
  await prepareLocal({ persistTo, buildWeb: false, quiet: true });
  const port = await freePort();
  let worker = await startWorker({ port, persistTo, showLogs: false, readyTimeoutMs: 120_000 });
  running = worker;
  const base = `${worker.url}/api/v1`;
  const signup = await json(
    await fetch(`${base}/orgs`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "PDF bench" }),
    }),
    201,
  );
  const key = (signup.apiKey as { key: string }).key;
  const headers = { "Content-Type": "application/json", Authorization: `Bearer ${key}` };
  const golden: unknown = JSON.parse(
    readFileSync(path.join(repoRoot, "test/golden/chat-70b-three-paths.scenario.json"), "utf8"),
  );
  const scenario = await json(
    await fetch(`${base}/scenarios`, { method: "POST", headers, body: JSON.stringify({ scenario: golden }) }),
    201,
  );
  const plan = await json(
    await fetch(`${base}/scenarios/${scenario.id as string}/plans`, { method: "POST", headers, body: "{}" }),
    201,
  );
  const proposal = await json(
    await fetch(`${base}/proposals`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        planId: plan.id,
        title: "Inference capacity 2027-2031",
        customerName: "Contoso Ltd",
        preparedBy: "Jane Doe",
        vendor: {
          name: "Northwind Systems",
          accentColor: "#1F5FBF",
          logo: { contentType: "image/png", dataBase64: PNG_1X1 },
        },
        notes: "Bench.",
        paperSize: "A4",
      }),
    }),
    201,
  );
  const pdfUrl = `${base}/proposals/${proposal.id as string}.pdf`;
  const optimiseBody = JSON.stringify({ scenario: worstOptimiserScenario() });

  const results: { name: string; first: number; later: number }[] = [];
  for (const name of ["cold", "warmed", "cold", "warmed"] as const) {
    await worker.stop();
    worker = await startWorker({ port, persistTo, showLogs: false, readyTimeoutMs: 120_000 });
    running = worker;
    // Background load for the whole case: /evaluate at LOAD_RATE, the worst optimise one at a time.
    let loading = true;
    const evaluate = autocannon(
      {
        url: `${base}/evaluate`,
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": "203.0.113.6" },
        body: JSON.stringify(golden),
        connections: 4,
        overallRate: LOAD_RATE,
        duration: 600,
      },
      () => undefined,
    );
    const optimiseLoop = (async () => {
      while (loading) {
        const response = await fetch(`${base}/optimise`, { method: "POST", headers, body: optimiseBody });
        await response.arrayBuffer();
      }
    })();
    await sleep(3_000);
    if (name === "warmed") {
      await json(await fetch(`${base}/proposals/${proposal.id as string}`, { headers }), 200);
      await sleep(WARM_WAIT_MS);
    }
    const first = await timedPdf(pdfUrl, key);
    const later: number[] = [];
    for (let i = 0; i < REPEATS; i++) later.push(await timedPdf(pdfUrl, key));
    loading = false;
    evaluate.stop();
    await optimiseLoop;
    results.push({ name, first, later: median(later) });
    console.log(
      `${name.padEnd(7)} first PDF ${first.toFixed(0).padStart(6)} ms, median of the next ${REPEATS} ${median(later).toFixed(0).padStart(5)} ms (load average ${(loadavg()[0] as number).toFixed(1)})`,
    );
  }
  await worker.stop();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await running?.stop();
  rmSync(persistTo, { recursive: true, force: true });
}
process.exit(exitCode);
