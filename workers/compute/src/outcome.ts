/** What a compute call answers (ADR 029): the value, or the error envelope's fields (400, 422). */
export interface ComputeError {
  status: number;
  code: string;
  message: string;
  issues: { path: string; message: string }[];
}

export type ComputeOutcome<T> = { ok: true; value: T } | { ok: false; error: ComputeError };
