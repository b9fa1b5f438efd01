import type { Context } from "hono";
import type * as v from "valibot";
import { parseBodyObject, readJsonBody } from "./validation.ts";

/**
 * A JSON body that may be omitted (e.g. `POST /scenarios/{id}/plans`): no body at all validates
 * `{}`; any body present must be JSON (415 otherwise), within the size cap (413) and valid (400).
 */
export async function optionalJsonBody<TSchema extends v.GenericSchema>(
  c: Context,
  schema: TSchema,
): Promise<v.InferOutput<TSchema>> {
  const hasBody = c.req.raw.body !== null && c.req.header("content-length") !== "0";
  if (!hasBody && c.req.header("content-type") === undefined) return parseBodyObject(schema, {});
  return parseBodyObject(schema, await readJsonBody(c));
}
