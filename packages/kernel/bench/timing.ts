/** Small timing helpers shared by the kernel benches and `npm run bench`'s target table. */
export { median } from "../src/throughput/roofline.ts";

/** Wall-clock milliseconds of one call. */
export function timeMs(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}
