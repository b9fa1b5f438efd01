import { priceBook } from "@aifp/catalog";
import { validatePerformanceModel, throughputObservations } from "@aifp/kernel";
const report = validatePerformanceModel(priceBook);
const obs = new Map(throughputObservations(priceBook).map((o) => [o.point.id, o]));
for (const kind of ["lomo", "loao"] as const) {
  const cases = report[kind].filter((c) => c.interactivity > 0 && c.relativeError !== null);
  const groups = new Map<string, number[]>();
  for (const c of cases) {
    const o = obs.get(c.pointId)!;
    const key = `${c.source} ${o.stack}${o.mtp ? "+mtp" : ""}${/disagg/.test(o.point.system) ? " disagg" : ""}`;
    groups.set(key, [...(groups.get(key) ?? []), c.relativeError!]);
  }
  console.log(kind);
  for (const [k, v] of [...groups].sort()) {
    const abs = v.map(Math.abs).sort((a, b) => a - b);
    const signed = [...v].sort((a, b) => a - b);
    console.log(`  ${k}: n=${v.length} median|e|=${(abs[Math.floor(abs.length / 2)]! * 100).toFixed(0)}% signed median=${(signed[Math.floor(signed.length / 2)]! * 100).toFixed(0)}%`);
  }
  const worst = [...cases].sort((a, b) => Math.abs(b.relativeError!) - Math.abs(a.relativeError!)).slice(0, 12);
  for (const c of worst) {
    const o = obs.get(c.pointId)!;
    console.log(`   ${(c.relativeError! * 100).toFixed(0)}% ${c.accelerator} ${c.model} u=${c.interactivity.toFixed(1)} meas=${c.measured.toFixed(0)} pred=${c.predicted?.toFixed(0)} ${o.point.system.slice(0, 70)} ${(o.point as any).latencyConstraint?.slice(0, 60)}`);
  }
}
