export const KERNEL_VERSION: string = "0.1.0";
