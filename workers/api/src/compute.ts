/**
 * The API's side of the compute Worker (ADR 029): every optimiser solve and risk analysis runs
 * there, reached through the `COMPUTE` service binding, so this isolate only awaits I/O while a
 * solve runs. A refusal comes back as a value and is thrown here as the same {@link ApiError}
 * the request would have thrown in this isolate (same status, code, message and issues).
 */
import type { ComputeOutcome } from "../../compute/src/outcome.ts";
import { ApiError, type ErrorCode } from "./errors.ts";

/** The answer of a compute call, or its refusal thrown as the envelope's error. */
export async function computed<T>(call: Promise<ComputeOutcome<T>>): Promise<T> {
  const outcome = await call;
  if (outcome.ok) return outcome.value;
  const { status, code, message, issues } = outcome.error;
  throw new ApiError(status as ApiError["status"], code as ErrorCode, message, issues);
}
