/**
 * Web Worker: the risk analysis off the page's main thread (`compute/risk-handler.ts` does the
 * work; this file only connects it to the worker's messages).
 */
import { createRiskHandler } from "../compute/risk-handler.ts";
import type { WorkerRequest, WorkerResponse } from "./protocol.ts";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse): void;
};

const handle = createRiskHandler((message) => scope.postMessage(message));
scope.onmessage = (event) => void handle(event.data);
