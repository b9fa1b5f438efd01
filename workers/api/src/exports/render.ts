import type { ExportFormat } from "../schemas.ts";
import type { PlanDto } from "../services/plans.ts";
import { toCsv } from "./csv.ts";
import { monthlyTable, planInfoTable, summaryTable, yearlyTable } from "./plan-tables.ts";
import { XLSX_CONTENT_TYPE, toXlsx } from "./xlsx.ts";

/** File name of an export: ASCII only (plan ids are), e.g. `pln_abc-monthly.csv`. */
function fileName(planId: string, format: ExportFormat): string {
  const stem = planId.replace(/[^A-Za-z0-9_-]/g, "");
  return format === "xlsx" ? `${stem}.xlsx` : `${stem}-${format}`;
}

/**
 * Render a stored plan as a download: `monthly.csv` (one row per option × month),
 * `summary.csv` (one row per option, with the comparison against the baseline) or `xlsx`
 * (sheets Plan, Summary, Yearly, Monthly with numeric cells). CSV is UTF-8 with a BOM.
 */
export async function renderPlanExport(plan: PlanDto, format: ExportFormat): Promise<Response> {
  const headers: Record<string, string> = {
    "Content-Disposition": `attachment; filename="${fileName(plan.id, format)}"`,
    "X-Content-Type-Options": "nosniff",
  };
  if (format === "monthly.csv" || format === "summary.csv") {
    const table = format === "monthly.csv" ? monthlyTable(plan.result) : summaryTable(plan.result);
    return new Response(toCsv(table), { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
  }
  const workbook = await toXlsx([
    planInfoTable({
      planId: plan.id,
      name: plan.name,
      scenarioId: plan.scenarioId,
      scenarioVersion: plan.scenarioVersion,
      priceBookVersion: plan.priceBookVersion,
      kernelVersion: plan.kernelVersion,
      inputHash: plan.inputHash,
      createdAt: plan.createdAt,
    }),
    summaryTable(plan.result),
    yearlyTable(plan.result),
    monthlyTable(plan.result),
  ]);
  return new Response(workbook, { headers: { ...headers, "Content-Type": XLSX_CONTENT_TYPE } });
}
