// `npm run load`: paced load against the local Worker (wrangler dev on 127.0.0.1, its own
// temporary D1), docs/reliability.md R7. Four autocannon instances run side by side for DURATION_S
// (default 60 s): reads and writes at 100 requests/s together (80 % reads: GET a scenario, list
// scenarios, GET a plan; 20 % writes: create a scenario with an Idempotency-Key, PATCH it with
// If-Match), POST /evaluate, and the bare /health route as the yardstick. Prints p50, p99 and
// errors for each with the ratio to /health. Then a control phase (HEAVY_S, default 30 s: /health
// at 10 req/s, nothing else) and a heavy phase (HEAVY_S, issue #19): /health at 10 req/s while the
// worst optimise shapes and 10,000-sample risk jobs run; target /health p99 < 50 ms. Both print
// with the machine's load average, side by side. Checks the invariants after the run (R6); exits 1 when a p99 of the mixed
// phase reaches 250 ms, /health's under heavy load reaches 50 ms, a risk job did not succeed, or
// any request failed. Loopback only, bounded in time.
import autocannon from "autocannon";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { localD1 } from "../packages/db/scripts/dev-org.ts";
import { WORST_INFEASIBLE_SETTINGS, worstOptimiserScenario } from "../packages/kernel/bench/optimiser-scenario.ts";
import { freePort, prepareLocal, repoRoot, startWorker } from "./lib/dev-server.ts";

const DURATION_S = Number(process.env.DURATION_S ?? 60);
const MIXED_RATE = Number(process.env.RATE ?? 100);
const EVALUATE_RATE = 5;
const HEALTH_RATE = 5;
const P99_BUDGET_MS = 250;
const KEYS = 24; // per-key limit 600/60 s: spread the mix so no key is throttled
const SEED_SCENARIOS = 40;
const SEED_PLANS = 8;
/** The heavy phase (issue #19): /health while the worst optimise and 10,000-sample risk run. */
const HEAVY_S = Number(process.env.HEAVY_S ?? 30);
const HEAVY_HEALTH_RATE = 10;
/** Pause between two heavy requests of one stream (each stream has one in flight at a time). */
const OPTIMISE_PAUSE_MS = 1_000;
const RISK_PAUSE_MS = 5_000;
const HEALTH_P99_TARGET_MS = 50;

/** A realistic scenario: the cost model's worked example (build, lease and API over 5 years). */
function scenario(name: string): Record<string, unknown> {
  return {
    name,
    startMonth: "2027-01",
    horizonYears: 5,
    finance: { discountRatePerYear: 0.09 },
    workload: {
      model: "llama-3.3-70b",
      inputTokensPerRequest: 1000,
      outputTokensPerRequest: 1000,
      requestsPerDay: 10_000_000,
      growthPerYear: 0.6,
      peakToAverage: 1.5,
      targetUtilization: 0.75,
    },
    site: {
      electricityUsdPerKwh: 0.08,
      electricityEscalationPerYear: 0.02,
      pue: 1.35,
      colocationUsdPerKwMonth: 160,
      gridCarbonGPerKwh: 370,
      powerCapKw: 2000,
    },
    options: [
      {
        kind: "lease",
        id: "neocloud-h200",
        priceUsdPerInstanceHour: 28,
        gpusPerInstance: 8,
        termYears: 0,
        priceChangePerYear: -0.15,
        outputTokensPerSecondPerGpu: 1500,
      },
      {
        kind: "build",
        id: "dell-xe9680-h200",
        priceUsd: 320000,
        gpusPerServer: 8,
        kw: 10.2,
        adders: 0.15,
        lifeYears: 5,
        spareFraction: 0.05,
        maintenancePerYear: 0.08,
        softwareUsdPerGpuYear: 4500,
        serversPerFte: 40,
        fteUsdPerYear: 220000,
        resaleDeclinePerYear: 0.3,
        priceChangePerYear: -0.1,
        idlePowerFraction: 0.35,
        outputTokensPerSecondPerGpu: 1500,
      },
      {
        kind: "api",
        id: "api-70b",
        usdPerMillionInputTokens: 0.6,
        usdPerMillionOutputTokens: 0.6,
        priceChangePerYear: -0.3,
      },
    ],
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** p-th percentile (0–100) of a list of numbers, nearest rank. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/**
 * One heavy stream: sends `body()` to `url` again and again (one in flight, `pauseMs` between)
 * until `untilMs`; records each answer's status and latency.
 */
async function heavyStream(
  url: string,
  headers: Record<string, string>,
  body: () => string,
  pauseMs: number,
  untilMs: number,
): Promise<{ statuses: Record<number, number>; latenciesMs: number[]; jobUrls: string[] }> {
  const statuses: Record<number, number> = {};
  const latenciesMs: number[] = [];
  const jobUrls: string[] = [];
  while (Date.now() < untilMs) {
    const started = performance.now();
    const response = await fetch(url, { method: "POST", headers, body: body() });
    await response.arrayBuffer();
    latenciesMs.push(performance.now() - started);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    const location = response.headers.get("Location");
    if (response.status === 202 && location) jobUrls.push(location);
    await sleep(pauseMs);
  }
  return { statuses, latenciesMs, jobUrls };
}

async function call(url: string, init: RequestInit & { expect?: number } = {}): Promise<Response> {
  const response = await fetch(url, init);
  if (response.status !== (init.expect ?? (init.method === "POST" ? 201 : 200))) {
    throw new Error(`${init.method ?? "GET"} ${url} → ${response.status} ${await response.text()}`);
  }
  return response;
}

type Result = autocannon.Result;

function summarise(name: string, result: Result) {
  const failed = result.errors + result.timeouts + result.non2xx;
  return {
    name,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed,
    statuses: result.statusCodeStats,
  };
}

const persistTo = mkdtempSync(path.join(tmpdir(), "aifp-load-"));
// wrangler.toml serves static assets from apps/web/build; the API-only load needs just the folder.
mkdirSync(path.join(repoRoot, "apps/web/build"), { recursive: true });
let exitCode = 0;
let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
try {
  console.log(`Preparing a temporary local D1 in ${persistTo} …`);
  await prepareLocal({ persistTo, buildWeb: false, quiet: true });
  const port = await freePort();
  worker = await startWorker({ port, persistTo, showLogs: false, readyTimeoutMs: 120_000 });
  const base = `${worker.url}/api/v1`;
  console.log(
    `Worker at ${worker.url}; seeding an organisation, ${KEYS} keys, ${SEED_SCENARIOS} scenarios, ${SEED_PLANS} plans …`,
  );

  const signup = (await (
    await call(`${base}/orgs`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Load test" }),
    })
  ).json()) as { apiKey: { key: string } };
  const admin = signup.apiKey.key;
  const json = (key: string) => ({ "Content-Type": "application/json", Authorization: `Bearer ${key}` });
  const keys: string[] = [];
  for (let i = 0; i < KEYS; i++) {
    const created = (await (
      await call(`${base}/keys`, { method: "POST", headers: json(admin), body: JSON.stringify({ name: `load ${i}` }) })
    ).json()) as { key: string };
    keys.push(created.key);
  }
  const scenarioIds: string[] = [];
  for (let i = 0; i < SEED_SCENARIOS; i++) {
    const created = (await (
      await call(`${base}/scenarios`, {
        method: "POST",
        headers: json(admin),
        body: JSON.stringify({ scenario: scenario(`seed ${i}`) }),
      })
    ).json()) as { id: string };
    scenarioIds.push(created.id);
  }
  const planIds: string[] = [];
  for (let i = 0; i < SEED_PLANS; i++) {
    const created = (await (
      await call(`${base}/scenarios/${scenarioIds[i]}/plans`, { method: "POST", headers: json(admin), body: "{}" })
    ).json()) as { id: string };
    planIds.push(created.id);
  }
  const countScenarios = async () => Number((await localD1("SELECT COUNT(*) AS n FROM scenarios", persistTo))[0]?.n);

  let turn = 0;
  const nextKey = () => keys[turn++ % keys.length] as string;
  const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)] as T;
  let createsSent = 0;
  const evaluateBody = JSON.stringify(scenario("load evaluate"));

  const loadBefore = loadavg()[0] as number;
  console.log(
    `Machine load average (1 min) before the run: ${loadBefore.toFixed(2)} on 2 cores${loadBefore > 1 ? "  (other work is running: latency figures will be inflated)" : ""}`,
  );
  console.log(
    `Running ${DURATION_S} s: mixed ${MIXED_RATE} req/s (80 % reads, 20 % writes), /evaluate ${EVALUATE_RATE} req/s, /health ${HEALTH_RATE} req/s …`,
  );
  const common = { duration: DURATION_S, timeout: 10 } as const;
  const reads = autocannon({
    ...common,
    url: worker.url,
    connections: 8,
    overallRate: Math.round(MIXED_RATE * 0.8),
    requests: [
      {
        method: "GET",
        setupRequest: (request) => {
          const roll = Math.random();
          request.path =
            roll < 0.6
              ? `/api/v1/scenarios/${pick(scenarioIds)}`
              : roll < 0.8
                ? "/api/v1/scenarios?limit=20"
                : `/api/v1/plans/${pick(planIds)}`;
          request.headers = { Authorization: `Bearer ${nextKey()}` };
          return request;
        },
      },
    ],
  });
  // Writes: each connection creates its own scenario, then PATCHes it with the ETag it holds, so
  // every write is a real OCC update that should succeed (no cross-connection conflicts).
  type WriteContext = { id?: string; version?: number; key?: string };
  const writes = autocannon({
    ...common,
    url: worker.url,
    connections: 4,
    overallRate: Math.round(MIXED_RATE * 0.2),
    requests: [
      {
        method: "POST",
        path: "/api/v1/scenarios",
        setupRequest: (request, context) => {
          const ctx = context as WriteContext;
          ctx.key ??= nextKey();
          createsSent += 1;
          request.headers = { ...json(ctx.key), "Idempotency-Key": `load-${createsSent}-${Math.random()}` };
          request.body = JSON.stringify({ scenario: scenario(`load ${createsSent}`) });
          return request;
        },
        onResponse: (status, body, context) => {
          const ctx = context as WriteContext;
          if (status === 201) {
            const created = JSON.parse(body) as { id: string; version: number };
            ctx.id = created.id;
            ctx.version = created.version;
          }
        },
      },
      {
        method: "PATCH",
        setupRequest: (request, context) => {
          const ctx = context as WriteContext;
          if (!ctx.id || !ctx.key) return null as unknown as typeof request; // restart the sequence
          request.path = `/api/v1/scenarios/${ctx.id}`;
          request.headers = { ...json(ctx.key), "If-Match": `"${ctx.version}"` };
          request.body = JSON.stringify({ name: `renamed ${Math.random()}` });
          return request;
        },
        onResponse: (status, body, context) => {
          const ctx = context as WriteContext;
          if (status === 200) ctx.version = (JSON.parse(body) as { version: number }).version;
        },
      },
    ],
  });
  const evaluate = autocannon({
    ...common,
    url: `${base}/evaluate`,
    connections: 2,
    overallRate: EVALUATE_RATE,
    method: "POST",
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          request.headers = json(nextKey());
          request.body = evaluateBody;
          return request;
        },
      },
    ],
  });
  const health = autocannon({ ...common, url: `${base}/health`, connections: 2, overallRate: HEALTH_RATE });
  // wrangler dev holds the SQLite file: count through it only after it stops. Before = the seed.
  const before = SEED_SCENARIOS;
  const [readResult, writeResult, evaluateResult, healthResult] = await Promise.all([reads, writes, evaluate, health]);

  console.log(`Machine load average (1 min) after the run: ${(loadavg()[0] as number).toFixed(2)}`);
  const rows = [
    summarise("reads (GET)", readResult),
    summarise("writes (POST/PATCH)", writeResult),
    summarise("POST /evaluate", evaluateResult),
    summarise("GET /health", healthResult),
  ];
  const yardstick = rows[3]!;
  console.log(
    `\n${"route".padEnd(22)}${"requests".padStart(9)}${"req/s".padStart(8)}${"p50 ms".padStart(8)}${"p99 ms".padStart(8)}${"errors".padStart(8)}${"p50 ×health".padStart(13)}${"p99 ×health".padStart(13)}`,
  );
  for (const row of rows) {
    const ratio = (value: number, of: number) => (of > 0 ? (value / of).toFixed(2) : "n/a");
    console.log(
      `${row.name.padEnd(22)}${String(row.requests).padStart(9)}${row.rps.toFixed(1).padStart(8)}${String(row.p50).padStart(8)}${String(row.p99).padStart(8)}${String(row.failed).padStart(8)}${ratio(row.p50, yardstick.p50).padStart(13)}${ratio(row.p99, yardstick.p99).padStart(13)}`,
    );
  }
  const mixed = { requests: readResult.requests.total + writeResult.requests.total, seconds: DURATION_S };
  console.log(
    `\nmixed reads + writes: ${(mixed.requests / mixed.seconds).toFixed(1)} req/s over ${mixed.seconds} s (target ${MIXED_RATE})`,
  );
  for (const row of rows) {
    if (row.failed > 0) console.log(`  ${row.name}: status codes ${JSON.stringify(row.statuses)}`);
  }

  // --- Heavy phase (issue #19): /health while the worst optimise shapes and 10,000-sample risk
  // jobs run. The optimise stream alternates the largest feasible shape the API admits (20 yearly
  // periods, 24 options: answered in the request under its work budget) and the infeasible one
  // (the pre-check's 422); the risk stream sends 10,000 samples of a 10-year plan with a key,
  // which is beyond a request's budget: a 202 and a background job (ADR 025).
  console.log(
    `\nHeavy phase, ${HEAVY_S} s: /health ${HEAVY_HEALTH_RATE} req/s while the worst optimise shapes (one at a time, ${OPTIMISE_PAUSE_MS} ms apart) and 10,000-sample risk jobs (one every ${RISK_PAUSE_MS / 1000} s) run …`,
  );
  const worst = worstOptimiserScenario();
  const optimiseBodies = [
    JSON.stringify({ scenario: worst }),
    JSON.stringify({ scenario: worst, optimise: WORST_INFEASIBLE_SETTINGS }),
  ];
  let optimiseTurn = 0;
  const riskBody = JSON.stringify({
    scenario: { ...scenario("load risk"), horizonYears: 10 },
    risk: { samples: 10_000, seed: 1 },
  });
  const healthOnly = () =>
    autocannon({
      url: `${base}/health`,
      duration: HEAVY_S,
      timeout: 10,
      connections: 2,
      overallRate: HEAVY_HEALTH_RATE,
    });
  // The control: the same /health stream with no heavy work, just before, so the machine's own
  // share of the latency (six sessions share these 2 cores) shows beside the heavy phase's.
  const controlLoad = [loadavg()[0] as number];
  const controlHealth = await healthOnly();
  controlLoad.push(loadavg()[0] as number);
  const heavyLoad = [loadavg()[0] as number];
  const untilMs = Date.now() + HEAVY_S * 1000;
  const [heavyHealth, optimiseRun, riskRun] = await Promise.all([
    healthOnly(),
    heavyStream(
      `${base}/optimise`,
      { "Content-Type": "application/json", "CF-Connecting-IP": "203.0.113.19" },
      () => optimiseBodies[optimiseTurn++ % 2] as string,
      OPTIMISE_PAUSE_MS,
      untilMs,
    ),
    heavyStream(`${base}/risk`, json(admin), () => riskBody, RISK_PAUSE_MS, untilMs),
  ]);
  heavyLoad.push(loadavg()[0] as number);
  // The jobs: wait for each to finish (they run after their 202), time from acceptance to done.
  const jobOutcomes: Record<string, number> = {};
  const jobDeadline = Date.now() + 120_000;
  for (const jobUrl of riskRun.jobUrls) {
    for (;;) {
      const job = (await (await fetch(`${worker.url}${jobUrl}`, { headers: json(admin) })).json()) as {
        status: string;
      };
      if (job.status === "succeeded" || job.status === "failed" || Date.now() > jobDeadline) {
        jobOutcomes[job.status] = (jobOutcomes[job.status] ?? 0) + 1;
        break;
      }
      await sleep(250);
    }
  }
  const heavyHealthFailed = heavyHealth.errors + heavyHealth.timeouts + heavyHealth.non2xx;
  const failedOf = (result: Result) => result.errors + result.timeouts + result.non2xx;
  const loadText = (pair: number[]) => pair.map((value) => value.toFixed(2)).join(" → ");
  console.log(
    `\n${`GET /health, ${HEAVY_HEALTH_RATE} req/s`.padEnd(26)}${"requests".padStart(9)}${"p50 ms".padStart(8)}${"p99 ms".padStart(8)}${"max ms".padStart(8)}${"errors".padStart(8)}   load average (1 min)`,
  );
  for (const [name, result, load] of [
    ["control (no heavy work)", controlHealth, controlLoad],
    ["heavy phase", heavyHealth, heavyLoad],
  ] as const) {
    console.log(
      `${name.padEnd(26)}${String(result.requests.total).padStart(9)}${String(result.latency.p50).padStart(8)}${String(result.latency.p99).padStart(8)}${String(result.latency.max).padStart(8)}${String(failedOf(result)).padStart(8)}   ${loadText(load)}`,
    );
  }
  console.log(
    `/health under heavy load: ${heavyHealth.requests.total} requests, p50 ${heavyHealth.latency.p50} ms, p99 ${heavyHealth.latency.p99} ms, max ${heavyHealth.latency.max} ms, errors ${heavyHealthFailed} (target p99 < ${HEALTH_P99_TARGET_MS} ms)`,
  );
  console.log(
    `POST /optimise (worst shapes): ${optimiseRun.latenciesMs.length} answers ${JSON.stringify(optimiseRun.statuses)}, p50 ${percentile(optimiseRun.latenciesMs, 50).toFixed(0)} ms, max ${Math.max(...optimiseRun.latenciesMs).toFixed(0)} ms`,
  );
  console.log(
    `POST /risk (10,000 samples, 10 years, with a key): ${riskRun.latenciesMs.length} answers ${JSON.stringify(riskRun.statuses)}, p50 ${percentile(riskRun.latenciesMs, 50).toFixed(0)} ms; jobs ${JSON.stringify(jobOutcomes)}`,
  );

  // Invariants after load (docs/reliability.md R6).
  await worker.stop();
  worker = null;
  const after = await countScenarios();
  const acked = writeResult.statusCodeStats?.["201"]?.count ?? 0;
  const assertRows = Number((await localD1("SELECT COUNT(*) AS n FROM _assert", persistTo))[0]?.n);
  const stuck = Number(
    (await localD1("SELECT COUNT(*) AS n FROM idempotency_keys WHERE state <> 'completed'", persistTo))[0]?.n,
  );
  const fkProblems = (await localD1("PRAGMA foreign_key_check", persistTo)).length;
  const created = after - before;
  console.log(
    `invariants: scenarios created ${created} (acknowledged 201s ${acked}; in flight at most 4), _assert rows ${assertRows}, in-progress idempotency keys ${stuck}, foreign-key problems ${fkProblems}`,
  );

  const failures: string[] = [];
  for (const row of rows) {
    if (row.p99 >= P99_BUDGET_MS) failures.push(`${row.name}: p99 ${row.p99} ms ≥ ${P99_BUDGET_MS} ms`);
    if (row.failed > 0) failures.push(`${row.name}: ${row.failed} failed requests`);
  }
  if (heavyHealth.latency.p99 >= HEALTH_P99_TARGET_MS)
    failures.push(`/health under heavy load: p99 ${heavyHealth.latency.p99} ms ≥ ${HEALTH_P99_TARGET_MS} ms`);
  if (heavyHealthFailed > 0) failures.push(`/health under heavy load: ${heavyHealthFailed} failed requests`);
  if ((jobOutcomes.succeeded ?? 0) !== riskRun.jobUrls.length)
    failures.push(`risk jobs: ${JSON.stringify(jobOutcomes)} of ${riskRun.jobUrls.length} accepted`);
  if (!(acked <= created && created <= acked + 4)) failures.push(`acked ${acked} vs created ${created}`);
  if (assertRows !== 0 || stuck !== 0 || fkProblems !== 0) failures.push("post-load invariants broken");
  if (failures.length) {
    console.log(`\nFAIL\n  ${failures.join("\n  ")}`);
    exitCode = 1;
  } else {
    console.log(`\nPASS: every p99 under ${P99_BUDGET_MS} ms, 0 errors, invariants hold.`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await worker?.stop();
  rmSync(persistTo, { recursive: true, force: true });
}
process.exit(exitCode);
