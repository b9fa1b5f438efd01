// Figures and row helpers shared by the sections of the price-book build (moved verbatim from book.ts).
import { createHash } from "node:crypto";
import type { Confidence, Figure } from "../types.ts";
import { CatalogRowError, type Validated } from "./csv.ts";

/** An inconsistency between rows or files (not a single bad cell). */
export class CatalogBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CatalogBuildError";
  }
}

const CONFIDENCE_RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

/** The weaker of several confidence tags. */
export function weakest(...tags: Confidence[]): Confidence {
  return tags.reduce(
    (worst, tag) => (CONFIDENCE_RANK[tag] < CONFIDENCE_RANK[worst] ? tag : worst),
    "high" as Confidence,
  );
}

/**
 * Read a free-text confidence tag ("high (price); medium (carbon proxy)", "low-medium",
 * "medium-high") for one topic. Two-level tags take the lower level; a tag naming other topics
 * only gives null.
 */
export function parseConfidenceTag(tag: string | null, topic: string | null = null): Confidence | null {
  if (!tag) return null;
  const segments = tag.split(";").map((segment) => segment.trim().toLowerCase());
  const levelOf = (segment: string): Confidence | null => {
    const match = /^(high|medium|low)(-(high|medium|low))?/.exec(segment);
    if (!match) return null;
    const first = match[1] as Confidence;
    const second = match[3] as Confidence | undefined;
    return second ? weakest(first, second) : first;
  };
  if (topic) {
    const named = segments.find((segment) => segment.includes(`(${topic}`));
    if (named) return levelOf(named);
    if (segments.some((segment) => segment.includes("("))) {
      return segments.length === 1 && !segments[0]?.includes("(") ? levelOf(segments[0] ?? "") : null;
    }
  }
  return levelOf(segments[0] ?? "");
}

export function figure(
  value: number,
  unit: string,
  source: string,
  asOf: string,
  confidenceTag: Confidence,
  method: string | null = null,
  sourceIds: readonly string[] = [],
): Figure {
  if (!Number.isFinite(value)) throw new CatalogBuildError(`figure "${unit}" from ${source} is not a finite number`);
  return {
    value,
    unit,
    source,
    sourceIds: [...new Set(sourceIds)],
    asOf,
    confidence: confidenceTag,
    derived: method !== null,
    method,
  };
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function byKey<TItem>(items: TItem[], keyOf: (item: TItem) => string): TItem[] {
  return [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

export function unique<TItem>(
  file: string,
  items: Validated<TItem>[],
  keyOf: (row: TItem) => string,
  column: string,
): void {
  const seen = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item.row);
    const first = seen.get(key);
    if (first !== undefined)
      throw new CatalogRowError(file, item.line, column, 1, `duplicate key "${key}" (first on line ${first})`);
    seen.set(key, item.line);
  }
}

/** Compare dates given at year / month / day precision by their first day ("2024" < "2024-03"). */
export function laterDate(a: string, b: string): string {
  return a.localeCompare(b) >= 0 ? a : b;
}
