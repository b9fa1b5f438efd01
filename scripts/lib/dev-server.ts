import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./run.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A free TCP port on loopback, so a script's or test's Worker never collides with `npm start` on 8787. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface PrepareOptions {
  /** Local state directory (D1 SQLite files); separate ones let test runs avoid the dev database. */
  persistTo: string;
  /** Build the web app first (skip when a fresh build exists and only the API is exercised). */
  buildWeb?: boolean;
  quiet?: boolean;
}

/**
 * Everything `npm start` does before serving: build the SPA, apply D1 migrations to the local
 * database, and seed the public price book. Idempotent: safe to run on every start.
 */
export async function prepareLocal(options: PrepareOptions): Promise<void> {
  const stdio = options.quiet ? "ignore" : "inherit";
  const cwd = repoRoot;
  await ensureLocalAuthSecret();
  // The SPA build (CPU) and the database steps (mostly process start-up and SQLite I/O) are
  // independent: run them side by side.
  const buildWeb =
    options.buildWeb === false
      ? Promise.resolve()
      : run("npm", ["run", "build", "--silent", "-w", "@aifp/web"], { cwd, stdio });
  const prepareDatabase = (async () => {
    await run("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", options.persistTo], {
      cwd,
      stdio,
    });
    await run(
      process.execPath,
      [path.join(repoRoot, "packages/db/scripts/seed.ts"), "--persist-to", options.persistTo],
      {
        cwd,
        stdio,
      },
    );
  })();
  await Promise.all([buildWeb, prepareDatabase]);
}

/**
 * Web sign-in signs session cookies with BETTER_AUTH_SECRET. Locally it lives in the git-ignored
 * `.dev.vars` that `wrangler dev` reads: written once with 256 random bits, then kept, so local
 * sessions survive restarts. Production uses `wrangler secret put BETTER_AUTH_SECRET`.
 */
export async function ensureLocalAuthSecret(): Promise<void> {
  const file = path.join(repoRoot, ".dev.vars");
  const current = await readFile(file, "utf8").catch(() => "");
  if (/^BETTER_AUTH_SECRET=.{32,}$/m.test(current)) return;
  const line = `BETTER_AUTH_SECRET=${randomBytes(32).toString("hex")}\n`;
  await writeFile(file, current === "" || current.endsWith("\n") ? current + line : `${current}\n${line}`);
}

/**
 * Make sure the local D1 has the development organisation and print a fresh admin API key for
 * it (keys are stored only hashed, so each start mints a new one).
 */
export async function printDevKey(persistTo: string): Promise<void> {
  await run(process.execPath, [path.join(repoRoot, "packages/db/scripts/dev-org.ts"), "--persist-to", persistTo], {
    cwd: repoRoot,
  });
}

export interface RunningWorker {
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

export interface StartOptions {
  port: number;
  persistTo: string;
  /** Print wrangler's own output (the dev server log) to this process's stdout/stderr. */
  showLogs?: boolean;
  /** Give up when /api/v1/health has not answered 200 after this long. */
  readyTimeoutMs?: number;
}

/** One `wrangler dev` session in its own process group (so stopping it stops its workerd too). */
function spawnWrangler(args: string[], showLogs: boolean, registryPath: string): ChildProcess {
  return spawn(
    "wrangler",
    ["dev", ...args, "--show-interactive-dev-session=false", "--log-level", showLogs ? "info" : "warn"],
    {
      cwd: repoRoot,
      stdio: ["ignore", showLogs ? "inherit" : "ignore", "inherit"],
      env: { ...process.env, CI: "1", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_REGISTRY_PATH: registryPath },
      detached: true,
    },
  );
}

/** Stops a session's whole process group (wrangler and workerd); SIGKILL after 5 s. */
async function stopGroup(child: ChildProcess, exited: () => boolean): Promise<void> {
  if (exited() || child.pid === undefined) return;
  const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, 5_000);
  await done;
  clearTimeout(timer);
}

/**
 * Start the two Workers (ADR 029) on 127.0.0.1 and resolve once the API's /api/v1/health answers
 * 200: the compute Worker in one `wrangler dev` session, the API Worker (on `port`) in another,
 * its COMPUTE binding found through a dev registry private to this start. Two sessions, not one
 * with two `-c`: one workerd process runs all its Workers on one thread, so a solve there would
 * still hold /health; two processes give the compute Worker its own thread, as Cloudflare gives
 * it its own isolates.
 */
export async function startWorker(options: StartOptions): Promise<RunningWorker> {
  const url = `http://127.0.0.1:${options.port}`;
  const registryPath = path.join(options.persistTo, "dev-registry");
  await mkdir(registryPath, { recursive: true });
  const computePort = await freePort();
  const compute = spawnWrangler(
    ["-c", "workers/compute/wrangler.toml", "--ip", "127.0.0.1", "--port", String(computePort)],
    options.showLogs ?? false,
    registryPath,
  );
  let computeExited = false;
  compute.on("exit", () => (computeExited = true));
  // The registry learns of the compute Worker once it serves: wait for its (404) answer first.
  const computeDeadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (computeExited) throw new Error("wrangler dev (compute Worker) exited before it served");
    const answered = await fetch(`http://127.0.0.1:${computePort}/`).then(
      () => true,
      () => false,
    );
    if (answered) break;
    if (Date.now() > computeDeadline) {
      await stopGroup(compute, () => computeExited);
      throw new Error("The compute Worker did not start within the timeout");
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const child = spawnWrangler(
    ["-c", "wrangler.toml", "--ip", "127.0.0.1", "--port", String(options.port), "--persist-to", options.persistTo],
    options.showLogs ?? false,
    registryPath,
  );
  let exited = false;
  child.on("exit", () => {
    exited = true;
    void stopGroup(compute, () => computeExited);
  });

  const stop = async (): Promise<void> => {
    await Promise.all([stopGroup(child, () => exited), stopGroup(compute, () => computeExited)]);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (exited) throw new Error("wrangler dev exited before the Worker became healthy");
    try {
      const response = await fetch(`${url}/api/v1/health`);
      if (response.ok) return { url, child, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`The Worker did not answer ${url}/api/v1/health within the timeout`);
}
