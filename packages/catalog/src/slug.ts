/** Ids from names, shared by the build and the browser-side helpers (no Node imports here). */

/** Lower-case slug of letters and digits joined by single dashes. */
export function slug(...parts: string[]): string {
  return parts
    .join(" ")
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/\.(?![0-9])/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}
