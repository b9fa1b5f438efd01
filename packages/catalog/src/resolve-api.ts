// Resolve an API option's offer, provider or selection rule into token prices (moved verbatim
// from resolveScenario in resolve.ts).
import type { ApiOptionInput } from "@aifp/kernel";
import {
  currentApiOffers,
  effectiveApiPrice,
  findApiOffer,
  isProvider,
  modelName,
  pickApiOffer,
  rankApiOffers,
} from "./api-offers.ts";
import type { ApiOfferUse } from "./resolve.ts";
import type { Mutable, ResolveContext } from "./resolve-context.ts";
import type { TokenPrice } from "./types.ts";

export function resolveApi(ctx: ResolveContext, option: Mutable<ApiOptionInput>, index: number): void {
  const { book, scenario, issues, notes, applyDefaults, record, apiOffers } = ctx;
  const at = (field: string) => `options.${index}.${field}`;
  if (option.offer === undefined && option.provider === undefined && option.select === undefined) return;
  const workload = scenario.workload;
  const mix = {
    inputTokensPerRequest: workload.inputTokensPerRequest,
    outputTokensPerRequest: workload.outputTokensPerRequest,
    cachedInputShare: workload.cachedInputShare,
    batchShare: workload.batchShare,
  };
  let chosen: TokenPrice | null = null;
  let legacy = false;
  let rule: ApiOfferUse["rule"] = "offer";
  let candidates = 1;
  if (option.offer !== undefined) {
    const found = findApiOffer(book, option.offer);
    if (!found) {
      const model = option.model ?? workload.model;
      const known = model ? currentApiOffers(book, model).map((item) => item.id) : [];
      issues.push({
        path: at("offer"),
        message: `unknown API offer "${option.offer}" in price book ${book.version}${known.length > 0 ? `; offers for ${model}: ${known.join(", ")}` : "; offer ids look like api:<provider>:<model>"}`,
      });
      return;
    }
    if (option.model !== undefined && option.model !== found.offer.model) {
      issues.push({
        path: at("model"),
        message: `offer ${found.offer.id} sells ${found.offer.model}, not "${option.model}"`,
      });
      return;
    }
    chosen = found.offer;
    legacy = found.legacy;
    if (chosen.status === "superseded")
      notes.push(
        `option ${option.id}: ${chosen.id} is a superseded price (${chosen.provider}, as of ${chosen.usdPerMillionInputTokens.asOf}${chosen.supersededOn ? `, replaced on ${chosen.supersededOn}` : ""}); the current offer is ${currentApiOffers(book, chosen.model).find((item) => item.provider === chosen?.provider)?.id ?? "not in the book"}`,
      );
  } else {
    const model = option.model ?? workload.model;
    if (!model) {
      issues.push({
        path: at("model"),
        message: "expected the model the API serves: set workload.model or this option's model to a catalog model key",
      });
      return;
    }
    const ranked = rankApiOffers(book, model, mix);
    if (ranked.length === 0) {
      issues.push({
        path: option.model !== undefined ? at("model") : "workload.model",
        message: `no API offer for model "${model}" in price book ${book.version}; give usdPerMillionInputTokens and usdPerMillionOutputTokens inline`,
      });
      return;
    }
    candidates = ranked.length;
    if (option.provider !== undefined) {
      const provider = option.provider;
      const match = ranked.find((item) => isProvider(item.offer, provider));
      if (!match) {
        issues.push({
          path: at("provider"),
          message: `no current offer from "${provider}" for ${model}; providers: ${ranked.map((item) => item.offer.provider).join(", ")}`,
        });
        return;
      }
      chosen = match.offer;
      rule = "provider";
    } else {
      const selectRule = option.select ?? "cheapest";
      chosen = pickApiOffer(ranked, selectRule)?.offer ?? null;
      rule = selectRule;
    }
  }
  if (!chosen) return;
  const price = effectiveApiPrice(chosen, mix);
  const ref = `token-price:${chosen.id}`;
  if (option.usdPerMillionInputTokens === undefined)
    option.usdPerMillionInputTokens = record(at("usdPerMillionInputTokens"), price.input, "catalog", ref);
  if (option.usdPerMillionOutputTokens === undefined)
    option.usdPerMillionOutputTokens = record(at("usdPerMillionOutputTokens"), price.output, "catalog", ref);
  if (price.notes.length > 0) notes.push(...price.notes.map((note) => `option ${option.id}: ${note}`));
  // The derived API price trend is a default for offers named the current way; a scenario citing a
  // legacy id keeps its saved meaning (prices only), so it evaluates as it did.
  if (!legacy && applyDefaults && option.priceChangePerYear === undefined && book.apiPriceTrend) {
    option.priceChangePerYear = record(
      at("priceChangePerYear"),
      book.apiPriceTrend,
      "default",
      "default:api.priceChangePerYear",
    );
  }
  const servesModel = chosen.model;
  if (!legacy) option.model = servesModel;
  // What the option pays: the offer's effective price, or a price typed over it (inline wins).
  const paidInput = option.usdPerMillionInputTokens ?? price.input.value;
  const paidOutput = option.usdPerMillionOutputTokens ?? price.output.value;
  const workloadModel = workload.model ?? null;
  const differentModel = workloadModel !== null && workloadModel !== servesModel;
  const ruleWords =
    rule === "offer"
      ? "named offer"
      : rule === "provider"
        ? `named provider (of ${candidates} offers)`
        : `${rule} of ${candidates} offers for the workload's token mix`;
  notes.push(
    `option ${option.id}: buys ${modelName(book, servesModel)} from ${chosen.provider} (${chosen.id}, ${ruleWords}): ${paidInput} USD per million input and ${paidOutput} per million output tokens, as of ${chosen.usdPerMillionInputTokens.asOf}; source: ${chosen.usdPerMillionInputTokens.source}`,
  );
  if (differentModel)
    notes.push(
      `option ${option.id} serves a different model (${modelName(book, servesModel)}) from the workload's ${modelName(book, workloadModel)}: its cost is not a like-for-like comparison of the same model`,
    );
  apiOffers.push({
    optionId: option.id,
    offerId: chosen.id,
    provider: chosen.provider,
    servesModel,
    workloadModel,
    differentModel,
    rule,
    candidates,
    source: chosen.usdPerMillionInputTokens.source,
    asOf: chosen.usdPerMillionInputTokens.asOf,
    effectiveUsdPerMillionInputTokens: paidInput,
    effectiveUsdPerMillionOutputTokens: paidOutput,
  });
}
