/** Risk: tornado, break-even points and a seeded Monte Carlo over `evaluate` (docs/optimiser.md "Risk"). */
export { createRandom, quantileSorted, triangular, type Random } from "./random.ts";
export {
  applyDriver,
  availableAtStart,
  baseValue,
  DEFAULT_DRIVERS,
  driverApplies,
  resolveDrivers,
  type DriverDefinition,
  type DriverId,
  type DriverMode,
  type DriverOverride,
} from "./drivers.ts";
export {
  decisionOf,
  sensitivity,
  type BreakEven,
  type BreakEvenUtilization,
  type DecisionPoint,
  type SensitivityInput,
  type SensitivityResult,
  type TornadoBar,
} from "./sensitivity.ts";
export {
  monteCarlo,
  MonteCarloCancelledError,
  monteCarloSync,
  sampleDriver,
  type MonteCarloControl,
  type MonteCarloInput,
  type MonteCarloResult,
  type Percentiles,
  type SampledDriver,
} from "./monte-carlo.ts";
