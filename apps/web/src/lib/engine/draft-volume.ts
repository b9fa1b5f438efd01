/** Plan → scenario, the volume: requests per day from users, tokens or today's API bill, each entry mapped to its field. */
import { fieldDef, parseFieldValue } from "../fields.ts";
import type { PlanInput } from "../plan.ts";
import { DAYS_PER_MONTH, requestsFromSpend, requestsFromTokens } from "../volume.ts";
import { book } from "./book.ts";
import { planTokensPerRequest } from "./plan-settings.ts";

/** Adds a typed number to `target[key]` when the field has a value, recording which field the path belongs to. */
export function setTyped(
  target: Record<string, unknown>,
  key: string,
  plan: PlanInput,
  fieldId: string,
  path: string,
  fieldOfPath: Map<string, string>,
): void {
  const def = fieldDef(fieldId);
  const value = parseFieldValue(plan.values[fieldId], def ?? {});
  fieldOfPath.set(path, fieldId);
  if (value !== undefined) target[key] = value;
}

/** The prices today's API bill is read at: a catalog price chosen by id, or the two typed ones. */
function spendPrices(plan: PlanInput): { input: number | string | undefined; output: number | string | undefined } {
  const chosen = plan.values["volume.spendPrice"] ?? "";
  const price = book.tokenPrices.find((item) => item.id === chosen);
  if (price) return { input: price.usdPerMillionInputTokens.value, output: price.usdPerMillionOutputTokens.value };
  return {
    input: parseFieldValue(plan.values["volume.spendUsdPerMillionInput"], {}),
    output: parseFieldValue(plan.values["volume.spendUsdPerMillionOutput"], {}),
  };
}

/**
 * Requests per day from the volume as the person gave it (issue 18 item 3). An entry that is
 * missing, not a number or not positive is passed on as typed and mapped to its own field, so the
 * schema's message sits on the field that can fix it and quotes what was typed (item 5).
 */
export function draftVolume(
  plan: PlanInput,
  workload: Record<string, unknown>,
  fieldOfPath: Map<string, string>,
): void {
  const path = "workload.requestsPerDay";
  if (plan.volumeMode === "requests") {
    setTyped(workload, "requestsPerDay", plan, path, path, fieldOfPath);
    return;
  }
  const entries: { fieldId: string; value: number | string | undefined }[] = [];
  const tokens = planTokensPerRequest(plan);
  let convert: (values: number[]) => number | null;
  if (plan.volumeMode === "users") {
    entries.push({ fieldId: "volume.users", value: parseFieldValue(plan.values["volume.users"], {}) });
    entries.push({
      fieldId: "volume.requestsPerUserPerDay",
      value: parseFieldValue(plan.values["volume.requestsPerUserPerDay"], {}),
    });
    convert = ([users = 0, perUser = 0]) => users * perUser;
  } else if (plan.volumeMode === "tokensPerDay" || plan.volumeMode === "tokensPerMonth") {
    const fieldId = `volume.${plan.volumeMode}`;
    const days = plan.volumeMode === "tokensPerMonth" ? DAYS_PER_MONTH : 1;
    entries.push({ fieldId, value: parseFieldValue(plan.values[fieldId], {}) });
    convert = ([count = 0]) => requestsFromTokens(count / days, tokens.input, tokens.output);
  } else {
    const prices = spendPrices(plan);
    entries.push({
      fieldId: "volume.apiSpendUsdPerMonth",
      value: parseFieldValue(plan.values["volume.apiSpendUsdPerMonth"], {}),
    });
    entries.push({ fieldId: "volume.spendUsdPerMillionInput", value: prices.input });
    entries.push({ fieldId: "volume.spendUsdPerMillionOutput", value: prices.output });
    convert = ([usd = 0, input = 0, output = 0]) => requestsFromSpend(usd, tokens.input, tokens.output, input, output);
  }
  // Prices may be 0 (a free tier) but not all of the bill: only the first entry must be positive.
  const bad = entries.find(
    (entry, index) =>
      entry.value === undefined ||
      typeof entry.value === "string" ||
      (index === 0 ? entry.value <= 0 : entry.value < 0),
  );
  if (bad) {
    fieldOfPath.set(path, bad.fieldId);
    if (bad.value !== undefined) workload.requestsPerDay = bad.value;
    return;
  }
  fieldOfPath.set(path, entries[0]?.fieldId ?? path);
  const requests = convert(entries.map((entry) => entry.value as number));
  workload.requestsPerDay = requests ?? 0;
}
