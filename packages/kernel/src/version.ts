/**
 * Version of the evaluation kernel (semver); results carry it so a saved plan reproduces.
 * 1.0.0: cost model v1 (the cost-model spec), its golden examples passing to 1e-9.
 */
export const KERNEL_VERSION: string = "1.0.0";
