/**
 * Web Worker: the risk analysis off the page's main thread. `sensitivity` (tornado and
 * break-even points) answers at once; `monteCarlo` runs in chunks, reports progress after each
 * and yields to the message queue between them, so a `cancel` stops it within one chunk.
 */
import { monteCarlo, sensitivity } from "@aifp/kernel";
import { failureOf, type WorkerRequest, type WorkerResponse } from "./protocol.ts";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse): void;
};

/** Cancel flags of the runs in progress, by request id. */
const running = new Map<number, { aborted: boolean }>();

const yieldToHost = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

scope.onmessage = (event) => {
  const request = event.data;
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
        scope.postMessage({ type: "sensitivity", id: request.id, result });
      } catch (error) {
        scope.postMessage({ type: "failed", id: request.id, failure: failureOf(error) });
      }
      return;
    }
    case "monteCarlo": {
      const signal = { aborted: false };
      running.set(request.id, signal);
      void monteCarlo(
        {
          scenario: request.scenario,
          samples: request.samples,
          seed: request.seed,
          ...(request.drivers ? { drivers: request.drivers } : {}),
        },
        {
          signal,
          yieldToHost,
          // About 100 progress steps, each small enough for a cancel to land within ~50 ms.
          chunkSize: Math.max(50, Math.min(1000, Math.ceil(request.samples / 100))),
          onProgress: ({ done, total }) => scope.postMessage({ type: "progress", id: request.id, done, total }),
        },
      )
        .then((result) => scope.postMessage({ type: "monteCarlo", id: request.id, result }))
        .catch((error: unknown) => scope.postMessage({ type: "failed", id: request.id, failure: failureOf(error) }))
        .finally(() => running.delete(request.id));
      return;
    }
    default:
      return;
  }
};
