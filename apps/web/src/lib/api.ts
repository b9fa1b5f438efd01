/**
 * The API's health answer for the home page. Every call goes through the one typed client,
 * `api-client.ts`; its error type is re-exported here for the modules that import it from here.
 */
import type { Health } from "@aifp/contracts/api";
import { api } from "./api-client.ts";

export { ApiRequestError, type ApiErrorBody } from "./api-client.ts";
export type { Health };

export async function getHealth(): Promise<Health> {
  return (await api("GET /health")).data;
}
