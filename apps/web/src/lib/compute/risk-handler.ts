/**
 * The risk worker's message handling, apart from the worker itself so that a Node test can run
 * exactly what the browser's worker runs (`risk-handler.test.ts`: same Monte Carlo for a seed as
 * the kernel called directly). `sensitivity` (tornado and break-even points) answers at once;
 * `monteCarlo` runs in chunks, reports progress after each and yields to the message queue
 * between them, so a `cancel` stops it within one chunk.
 */
import { monteCarlo, sensitivity } from "@aifp/kernel";
import { failureOf, type WorkerRequest, type WorkerResponse } from "../workers/protocol.ts";

/** Chunk size of a Monte Carlo run: about 100 progress steps, each short enough for a cancel to land within ~50 ms. */
export function monteCarloChunkSize(samples: number): number {
  return Math.max(50, Math.min(1000, Math.ceil(samples / 100)));
}

const yieldToHost = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** A risk worker's state: the cancel flags of the runs in progress, by request id. */
export function createRiskHandler(post: (message: WorkerResponse) => void): (request: WorkerRequest) => Promise<void> {
  const running = new Map<number, { aborted: boolean }>();
  return async (request) => {
    switch (request.type) {
      case "cancel": {
        const flag = running.get(request.id);
        if (flag) flag.aborted = true;
        return;
      }
      case "sensitivity": {
        try {
          const result = sensitivity({
            scenario: request.scenario,
            ...(request.drivers ? { drivers: request.drivers } : {}),
          });
          post({ type: "sensitivity", id: request.id, result });
        } catch (error) {
          post({ type: "failed", id: request.id, failure: failureOf(error) });
        }
        return;
      }
      case "monteCarlo": {
        const signal = { aborted: false };
        running.set(request.id, signal);
        try {
          const result = await monteCarlo(
            {
              scenario: request.scenario,
              samples: request.samples,
              seed: request.seed,
              ...(request.drivers ? { drivers: request.drivers } : {}),
            },
            {
              signal,
              yieldToHost,
              chunkSize: monteCarloChunkSize(request.samples),
              onProgress: ({ done, total }) => post({ type: "progress", id: request.id, done, total }),
            },
          );
          post({ type: "monteCarlo", id: request.id, result });
        } catch (error) {
          post({ type: "failed", id: request.id, failure: failureOf(error) });
        } finally {
          running.delete(request.id);
        }
        return;
      }
      default:
        return;
    }
  };
}
