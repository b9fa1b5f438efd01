/**
 * The content of a proposal version, generated from a stored plan (numbers, not hype): executive
 * summary, recommended configuration, quoted line items, the comparison of paths, chart series,
 * the assumptions appendix, the pinned versions and the estimate disclaimer.
 *
 * Pure and deterministic: the same plan and the same proposal inputs give the same content,
 * byte for byte as canonical JSON, so the content hash of an issued version can be regenerated
 * (docs/reliability.md §2.9). No clock, no randomness, no locale data (see `format.ts`).
 */
import type { MonteCarloResult, OptionResult } from "@aifp/kernel";
import type { PriceBook } from "@aifp/catalog";
import { noteInWords, noteNames } from "@aifp/catalog/source-words";
import * as fmt from "./format.ts";
import {
  ESTIMATE_DISCLAIMER,
  PROPOSAL_CONTENT_SCHEMA,
  type ChartSeries,
  type ComparisonRow,
  type PlanForProposal,
  type ProposalContent,
  type ProposalInputs,
} from "./content-types.ts";
import { planInputOf, resultOf } from "./plan-input.ts";
import { modelName, optionLabels } from "./labels.ts";
import { assumptionsOf } from "./assumptions.ts";
import { lineItemsOf } from "./line-items.ts";
import { isOptimisation, optimisedConfiguration, pathsOf, pureConfiguration } from "./configuration.ts";

// The rooms of the builder, re-exported so importers keep one entry point.
export * from "./content-types.ts";
export { ProposalContentError } from "./plan-input.ts";
export { modelName, optionLabels } from "./labels.ts";
export { assumptionsOf } from "./assumptions.ts";
export { lineItemsOf } from "./line-items.ts";

/** Everything the builder needs; `book` is the price book only when it is the plan's pinned version. */
export interface BuildProposalContentInput {
  plan: PlanForProposal;
  inputs: ProposalInputs;
  book: PriceBook | null;
  /** A seeded Monte Carlo on the plan's scenario when the proposal asked for one, else null. */
  monteCarlo: MonteCarloResult | null;
}

/**
 * Generate a proposal version's content from its plan. Recommendation: the plan's optimised
 * fleet when the plan carries one (`result.optimisation`, from `POST /scenarios/{id}/plans`
 * with `optimise`) and it is at least as cheap as every pure path; otherwise the cheapest pure
 * path by NPV of cost (which orders levelised cost the same way: every path serves the same
 * tokens).
 */
export function buildProposalContent({ plan, inputs, book, monteCarlo }: BuildProposalContentInput): ProposalContent {
  const input = planInputOf(plan);
  const result = resultOf(plan);
  const scenario = input.resolvedScenario;
  const labels = optionLabels(scenario, book);
  const names = noteNames(scenario.options, book, (id) => labels[id]?.replace(/^(?:Build|Lease|Token API): /, ""));
  const assumptions = assumptionsOf(plan, labels, book);
  const comparisons = new Map(result.comparisons.map((comparison) => [comparison.optionId, comparison]));
  const byNpv = [...result.options].sort((a, b) => a.npvCostUsd - b.npvCostUsd || (a.id < b.id ? -1 : 1));
  const exceedsCap = (option: OptionResult) => option.kind === "build" && option.powerCapExceededMonths.length > 0;
  // A path that breaks the site's power cap is not recommended while another path keeps to it.
  // tsc needs the cast (noUncheckedIndexedAccess); the rule misreads the right side of `??`.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  const cheapest = byNpv.find((option) => !exceedsCap(option)) ?? (byNpv[0] as OptionResult);
  const cheaperOverCap = byNpv.filter((option) => option.npvCostUsd < cheapest.npvCostUsd && exceedsCap(option));

  const optimisation = isOptimisation(result.optimisation) ? result.optimisation : null;
  // The optimiser's plan is recommended when it is its own (solver) plan and strictly cheaper
  // than the best single path; when it fell back to a single strategy, that path is named as is.
  const useOptimiser =
    optimisation !== null &&
    optimisation.hybrid.source === "milp" &&
    optimisation.hybrid.npvCostUsd < cheapest.npvCostUsd * (1 - 1e-9);
  const hybridLabel = optimisation ? `Optimised fleet plan (${pathsOf(optimisation).join(" + ")})` : "";
  const recommended = useOptimiser
    ? {
        id: "hybrid",
        label: hybridLabel,
        lcot: optimisation.hybrid.lcotUsdPerMillionTokens,
        npv: optimisation.hybrid.npvCostUsd,
      }
    : {
        id: cheapest.id,
        label: labels[cheapest.id] ?? cheapest.id,
        lcot: cheapest.lcotUsdPerMillionTokens,
        npv: cheapest.npvCostUsd,
      };
  const others = byNpv.filter((option) => option.id !== cheapest.id);
  const runner = useOptimiser ? cheapest : (others.find((option) => !exceedsCap(option)) ?? others[0]);
  const runnerUp = runner
    ? {
        optionId: runner.id,
        label: labels[runner.id] ?? runner.id,
        lcotUsdPerMillionTokens: runner.lcotUsdPerMillionTokens,
        npvCostUsd: runner.npvCostUsd,
      }
    : null;

  const rows: ComparisonRow[] = byNpv.map((option) => {
    const comparison = comparisons.get(option.id);
    return {
      optionId: option.id,
      label: labels[option.id] ?? option.id,
      kind: option.kind,
      lcotUsdPerMillionTokens: option.lcotUsdPerMillionTokens,
      lcotUsdPerMillionOutputTokens: option.lcotUsdPerMillionOutputTokens,
      npvCostUsd: option.npvCostUsd,
      tcoUsd: option.tcoUsd,
      effectiveUsdPerGpuHour: option.effectiveUsdPerGpuHour,
      ...(option.kind === "build"
        ? {
            paybackMonths: comparison?.paybackMonths ?? null,
            irrPerYear: comparison?.irrPerYear ?? null,
            ...(comparison ? { npvSavingsUsd: comparison.npvSavingsUsd } : {}),
          }
        : {}),
      powerCapExceededMonths: option.kind === "build" ? option.powerCapExceededMonths.length : 0,
      recommended: !useOptimiser && option.id === cheapest.id,
    };
  });
  const baselineOptionId = result.comparisons[0]?.baselineOptionId ?? null;

  // Charts: cost per token by plan year; cumulative cash by month with payback; facility power vs cap.
  const costPerTokenByYear: ChartSeries[] = byNpv.map((option) => ({
    id: option.id,
    label: labels[option.id] ?? option.id,
    points: option.yearly.map((year) => ({ x: year.year + 1, y: year.lcotUsdPerMillionTokens })),
  }));
  const cumulative = (monthly: readonly { cashUsd: number }[]) => {
    let total = 0;
    return monthly.map((month, index) => {
      total += month.cashUsd;
      return { x: index + 1, y: total };
    });
  };
  const cashSeries: ChartSeries[] = byNpv.map((option) => ({
    id: option.id,
    label: labels[option.id] ?? option.id,
    points: cumulative(option.monthly),
  }));
  if (useOptimiser)
    cashSeries.unshift({ id: "hybrid", label: hybridLabel, points: cumulative(optimisation.hybrid.monthly) });
  const paybacks = result.comparisons
    .filter((comparison) => comparison.paybackMonths !== null)
    .map((comparison) => ({
      optionId: comparison.optionId,
      baselineOptionId: comparison.baselineOptionId,
      month: comparison.paybackMonths as number,
    }));
  const pue = scenario.site?.pue ?? 1;
  const powerSeries: ChartSeries[] = [];
  for (const option of byNpv) {
    if (option.kind !== "build") continue;
    const optionInput = scenario.options.find((candidate) => candidate.id === option.id);
    const kw = optionInput && optionInput.kind === "build" ? (optionInput.kw ?? 0) : 0;
    powerSeries.push({
      id: option.id,
      label: labels[option.id] ?? option.id,
      points: option.monthly.map((month, index) => ({ x: index + 1, y: month.servers * kw * pue })),
    });
  }
  if (useOptimiser && optimisation.hybrid.monthly.length > 0) {
    powerSeries.unshift({
      id: "hybrid",
      label: hybridLabel,
      points: optimisation.hybrid.monthly.map((month, index) => {
        let facilityKw = 0;
        for (const [id, servers] of Object.entries(month.servers)) {
          const optionInput = scenario.options.find((candidate) => candidate.id === id);
          facilityKw += servers * (optionInput && optionInput.kind === "build" ? (optionInput.kw ?? 0) : 0) * pue;
        }
        return { x: index + 1, y: facilityKw };
      }),
    });
  }

  const riskBand = monteCarlo
    ? {
        samples: monteCarlo.samples - monteCarlo.failedSamples,
        seed: monteCarlo.seed,
        rows: monteCarlo.optionIds
          .filter((id) => monteCarlo.lcotUsdPerMillionTokens[id] !== undefined)
          .map((id) => {
            const band = monteCarlo.lcotUsdPerMillionTokens[id] as { p10: number; p50: number; p90: number };
            return {
              optionId: id,
              label: labels[id] ?? id,
              p10: band.p10,
              p50: band.p50,
              p90: band.p90,
              probabilityCheapest: monteCarlo.probabilityCheapest[id] ?? 0,
            };
          }),
      }
    : null;

  const periods = useOptimiser
    ? optimisedConfiguration(optimisation, labels)
    : pureConfiguration(scenario, result, cheapest, labels);
  const recommendationNotes = useOptimiser
    ? [...optimisation.explanation]
    : [
        optimisation !== null
          ? `The optimiser found no mixed fleet cheaper than ${labels[cheapest.id] ?? cheapest.id}, so that single path is recommended as it is.`
          : "Each path was evaluated as a pure strategy (one way of serving all demand); the plan carries no optimised mixed fleet.",
      ];
  for (const option of cheaperOverCap) {
    recommendationNotes.push(
      `${labels[option.id] ?? option.id} costs less but exceeds the site's power cap in ${option.kind === "build" ? option.powerCapExceededMonths.length : 0} months, so it is not recommended.`,
    );
  }

  const workload = scenario.workload;
  const powerCapKw = scenario.site?.powerCapKw ?? null;
  const order = [...(useOptimiser ? [] : [cheapest.id]), ...byNpv.map((option) => option.id)].filter(
    (id, index, all) => all.indexOf(id) === index,
  );

  const content: ProposalContent = {
    schema: PROPOSAL_CONTENT_SCHEMA,
    headline: {
      recommendedOptionId: recommended.id,
      recommendedLabel: recommended.label,
      source: useOptimiser ? "optimiser" : "pure-strategy",
      lcotUsdPerMillionTokens: recommended.lcot,
      npvCostUsd: recommended.npv,
      runnerUp,
      savingsUsd: runnerUp ? runnerUp.npvCostUsd - recommended.npv : null,
      risk: (() => {
        const row = riskBand?.rows.find((item) => item.optionId === recommended.id);
        return riskBand && row
          ? { samples: riskBand.samples, p10: row.p10, p90: row.p90, probabilityCheapest: row.probabilityCheapest }
          : null;
      })(),
      bestOfEachKind: (["build", "lease", "api"] as const).flatMap((kind) => {
        const best = byNpv.find((option) => option.kind === kind);
        return best
          ? [
              {
                kind,
                optionId: best.id,
                label: labels[best.id] ?? best.id,
                lcotUsdPerMillionTokens: best.lcotUsdPerMillionTokens,
                npvCostUsd: best.npvCostUsd,
              },
            ]
          : [];
      }),
    },
    executiveSummary: [],
    workload: {
      // The model's product name, never its catalog key (issue 18 item 8).
      model: modelName(workload.model, book),
      requestsPerDay: workload.requestsPerDay,
      inputTokensPerRequest: workload.inputTokensPerRequest,
      outputTokensPerRequest: workload.outputTokensPerRequest,
      growthPerYear: workload.growthPerYear ?? 0,
      startMonth: scenario.startMonth,
      horizonYears: scenario.horizonYears,
      discountRatePerYear: scenario.finance.discountRatePerYear,
      powerCapKw,
    },
    recommendation: {
      optionId: recommended.id,
      label: recommended.label,
      source: useOptimiser ? "optimiser" : "pure-strategy",
      periods,
      notes: recommendationNotes,
    },
    lineItems: lineItemsOf(scenario, result, labels, assumptions, order),
    comparison: { baselineOptionId, rows },
    charts: {
      costPerTokenByYear,
      cumulativeCash: { series: cashSeries, paybacks },
      fleetVsPowerCap: { capKw: powerCapKw, series: powerSeries },
      riskBand,
    },
    assumptions,
    versions: {
      priceBookVersion: plan.priceBookVersion,
      priceBookContentHash: input.priceBookContentHash,
      kernelVersion: plan.kernelVersion,
      planId: plan.id,
      planInputHash: plan.inputHash,
    },
    // Resolver notes quote sources: in people's words, as on the results page (ADR 019).
    // and product names, never option or catalog ids (issue 18 item 8).
    warnings: [
      ...result.warnings.map((warning) => noteInWords(`${warning.path}: ${warning.message}`, names)),
      ...input.notes.map((note) => noteInWords(note, names)),
    ],
    disclaimer: ESTIMATE_DISCLAIMER,
  };
  content.executiveSummary = executiveSummary(content, inputs, rows, labels);
  return content;
}

/** A few sentences of numbers: what is recommended, by how much, payback, power, risk, basis. */
function executiveSummary(
  content: ProposalContent,
  inputs: ProposalInputs,
  rows: ComparisonRow[],
  labels: Record<string, string>,
): string[] {
  const { headline, workload } = content;
  const sentences: string[] = [];
  const tokensPerRequest = workload.inputTokensPerRequest + workload.outputTokensPerRequest;
  sentences.push(
    `${inputs.customerName}'s workload${workload.model ? ` (${workload.model})` : ""}: ${fmt.largeNumber(workload.requestsPerDay)} requests a day of ${fmt.plain(tokensPerRequest, 0)} tokens each (${fmt.plain(workload.inputTokensPerRequest, 0)} in, ${fmt.plain(workload.outputTokensPerRequest, 0)} out), growing ${fmt.percent(workload.growthPerYear)} a year, planned over ${fmt.plain(workload.horizonYears)} years from ${fmt.calendarMonth(workload.startMonth)} at a ${fmt.percent(workload.discountRatePerYear)} cost of capital.`,
  );
  let recommendation = `Recommended: ${headline.recommendedLabel}, at ${fmt.usdPerMillionTokens(headline.lcotUsdPerMillionTokens)} per million tokens levelised and ${fmt.usdCompact(headline.npvCostUsd)} in net present cost.`;
  if (headline.runnerUp && headline.savingsUsd !== null) {
    const share = headline.runnerUp.npvCostUsd > 0 ? headline.savingsUsd / headline.runnerUp.npvCostUsd : 0;
    recommendation +=
      headline.savingsUsd > 0
        ? ` That is ${fmt.usdCompact(headline.savingsUsd)} (${fmt.percent(share)}) less than the next option, ${headline.runnerUp.label} (${fmt.usdPerMillionTokens(headline.runnerUp.lcotUsdPerMillionTokens)} per million tokens).`
        : ` The next option, ${headline.runnerUp.label}, costs the same.`;
  }
  sentences.push(recommendation);
  // Build, lease and token API side by side (issue 18 item 8): the customer sees all three ways.
  const kinds = headline.bestOfEachKind ?? [];
  if (kinds.length > 0) {
    const kindWords = { build: "building", lease: "leasing", api: "buying tokens from an API" } as const;
    const missing = (["build", "lease", "api"] as const).filter((kind) => !kinds.some((item) => item.kind === kind));
    sentences.push(
      `Paths compared: ${kinds
        .map(
          (item) =>
            `${kindWords[item.kind]} (best: ${item.label.replace(/^(?:Build|Lease|Token API): /, "")}, ${fmt.usdPerMillionTokens(item.lcotUsdPerMillionTokens)} per million tokens, ${fmt.usdCompact(item.npvCostUsd)} net present cost)`,
        )
        .join(
          "; ",
        )}${missing.length > 0 ? `; ${missing.map((kind) => kindWords[kind]).join(" and ")} not priced in this plan` : ""}.`,
    );
  }
  const baseline = content.comparison.baselineOptionId;
  const builds = rows.filter((row) => row.kind === "build" && row.paybackMonths !== undefined);
  if (baseline !== null && builds.length > 0) {
    const paying = builds
      .filter((row) => row.paybackMonths !== null)
      .sort((a, b) => (a.paybackMonths ?? 0) - (b.paybackMonths ?? 0));
    const best = paying[0];
    const baselineLabel = labels[baseline] ?? baseline;
    sentences.push(
      best
        ? `Against ${baselineLabel}, ${best.label} pays back in ${fmt.months(best.paybackMonths)}${best.irrPerYear !== null && best.irrPerYear !== undefined ? ` with an IRR of ${fmt.percent(best.irrPerYear)}` : ""} and saves ${fmt.usdCompact(best.npvSavingsUsd ?? 0)} in net present cost.`
        : `Against ${baselineLabel}, no build path pays back within the ${fmt.plain(workload.horizonYears)}-year plan.`,
    );
  }
  const power = content.charts.fleetVsPowerCap;
  if (power.capKw !== null && power.series.length > 0) {
    const recommendedSeries = power.series.find((series) => series.id === headline.recommendedOptionId);
    const peak = recommendedSeries ? Math.max(0, ...recommendedSeries.points.map((point) => point.y)) : 0;
    const over = rows.filter((row) => row.powerCapExceededMonths > 0);
    const recommendedPower =
      peak > 0
        ? `the recommended plan draws up to ${fmt.powerKw(peak)} at full load${peak <= power.capKw ? ", within the cap" : ""}`
        : "the recommended plan owns no servers on site";
    const breaches = over.map(
      (row) => `${row.label} would exceed it in ${fmt.plain(row.powerCapExceededMonths, 0)} months`,
    );
    sentences.push(
      `The site's power cap is ${fmt.powerKw(power.capKw)}; ${recommendedPower}${breaches.length > 0 ? `; ${breaches.join("; ")}` : ""}.`,
    );
  }
  const risk = content.charts.riskBand;
  const recommendedRisk = risk?.rows.find((row) => row.optionId === headline.recommendedOptionId);
  if (risk && recommendedRisk) {
    // Never more certain than the risk analysis: a path cheapest in under half of the futures is said to be so.
    const leader = [...risk.rows].sort((a, b) => b.probabilityCheapest - a.probabilityCheapest)[0];
    sentences.push(
      recommendedRisk.probabilityCheapest < 0.5
        ? `Not a sure answer: across ${fmt.plain(risk.samples, 0)} Monte Carlo samples it is the cheapest path in only ${fmt.percent(recommendedRisk.probabilityCheapest, 0)}${leader && leader.optionId !== recommendedRisk.optionId ? ` (${leader.label} in ${fmt.percent(leader.probabilityCheapest, 0)})` : ""}, and its levelised cost ranges from ${fmt.usdPerMillionTokens(recommendedRisk.p10)} (P10) to ${fmt.usdPerMillionTokens(recommendedRisk.p90)} (P90) per million tokens.`
        : `Across ${fmt.plain(risk.samples, 0)} Monte Carlo samples, its levelised cost ranges from ${fmt.usdPerMillionTokens(recommendedRisk.p10)} (P10) to ${fmt.usdPerMillionTokens(recommendedRisk.p90)} (P90) per million tokens, and it is the cheapest path in ${fmt.percent(recommendedRisk.probabilityCheapest, 0)} of samples.`,
    );
  } else if (risk) {
    sentences.push(
      `The risk band (${fmt.plain(risk.samples, 0)} Monte Carlo samples) draws single paths, not the optimised mix: see the chart for each path's P10–P90 range.`,
    );
  } else {
    sentences.push("No risk band was computed for this proposal: the figures above are the central case only.");
  }
  sentences.push(
    `Every figure is an estimate from price book ${content.versions.priceBookVersion} and cost model ${content.versions.kernelVersion}; the appendix lists each assumption with its source, date and confidence.`,
  );
  return sentences;
}
