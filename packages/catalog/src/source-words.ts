/**
 * A figure's source in people's words (ADR 019): the price book keeps the full research trail
 * (file and line of the row, repository paths and commits), which an engineer can audit but a
 * CFO cannot read. `sourceInWords` turns it into a short publisher/title, the trail without file
 * names, line numbers or repository paths, and the first web address for a link. Pure text
 * rewriting: nothing is invented, only internal locators are replaced by what they are.
 */
import type { PriceBook, SourceRecord } from "./types.ts";

export interface SourceInWords {
  /** Publisher and title, short enough for one line ("U.S. EIA, Electric Power Annual"). */
  title: string;
  /** The whole trail in plain words (no file name, line number or repository path). */
  trail: string;
  /** The first web address named by the source (never a code repository), or null. */
  url: string | null;
}

/** Words that stand for an open data set or repository the price book read (locators dropped). */
const openData = (name: string): string => `the open data set “${name}” on GitHub`;
const OPEN_REPO = "an open repository on GitHub";
const OUR_NOTES = "the price book's research notes";

/** `owner/name` of a code repository: a CamelCase or hyphenated name, never a unit like kWh/yr. */
function looksLikeRepository(owner: string, name: string): boolean {
  if (owner.length < 3 || name.length < 4 || owner.includes(".")) return false;
  if (/^\d+$/.test(owner) || /^\d+$/.test(name)) return false;
  return name.includes("-") || owner.includes("-") || /[a-z][A-Z]/.test(owner) || /[a-z][A-Z]/.test(name);
}

/**
 * The trail of a source with internal locators replaced by what they are.
 * @param text the price book's `source` (or a method) text
 */
export function plainTrail(text: string): string {
  let out = text
    // "cloud_gpu_prices.csv line 107: …": the row's own location in the book.
    .replace(/^[\w.-]+\.csv line \d+:\s*/i, "")
    // "facility.csv: CBRE …": a pointer to the table the figure was copied from, then the source.
    .replace(/^[\w.-]+\.csv:\s*/i, "")
    // A repository file pinned at a commit: "owner/repo path/file.csv@sha" (GitHub address or not).
    .replace(
      /(?:https?:\/\/)?(?:github\.com\/)?[A-Za-z0-9][\w.-]*\/([\w.-]+)(?:\s+[\w./-]+)?\s*@\s?[0-9a-f]{6,40}\b/g,
      (_match, name: string) => openData(name),
    )
    // A GitHub address without a commit, with any file path after it.
    .replace(
      /(?:https?:\/\/)?github\.com\/[\w.-]+\/[\w.-]+(?:\/[\w./#-]*)?(?:\s+[\w-]+\.(?:md|csv|json|py|ts))?/g,
      OPEN_REPO,
    )
    // The planner's own research notes, with their section numbers.
    .replace(/(?:docs\/research|packages\/catalog\/data)\/[\w.-]+(?:,?\s*section\s+[\d.]+)?/g, OUR_NOTES)
    // Another table of the book named by its file ("as reported in gpu_specs.csv MI455X row").
    .replace(/\b([\w-]+)\.csv\b/g, (_match, name: string) => `the price book's ${name.replaceAll("_", " ")} table`)
    // A data file after its publisher's name reads "LiteLLM data file"; alone, "a data file".
    .replace(/(\S?)(\s?)\b[\w-]+\.(?:json|md|py|ya?ml|ts)\b/g, (_match, before: string, space: string) =>
      /[A-Za-z]/.test(before) && space ? `${before} data file` : `${before}${space}a data file`,
    )
    // Lookup keys inside a data set ("key 'deepinfra/deepseek-ai/DeepSeek-R1'"): the row names its model already.
    .replace(/,?\s*\b(?:key|model) '[^']*'/g, "")
    .replace(/,?\s*\blines? \d+(?:(?:[-–]| and |, ?)\d+)*\b/gi, "")
    .replace(/\s*@[0-9a-f]{7,40}\b/g, "");
  // Bare `owner/repo` names ("(AssimilatedCoder/sesterce-sev1-mockup)").
  out = out.replace(/(?<![\w./-])([A-Za-z0-9][\w-]*)\/([A-Za-z0-9][\w.-]*[\w])(?![\w/])/g, (match, owner, name) =>
    looksLikeRepository(owner as string, name as string) ? OPEN_REPO : match,
  );
  return out
    .replace(/(the open data set “[^”]+” on GitHub|an open repository on GitHub)(?:\s*(?:,|;|and|\/)\s*\1)+/g, "$1")
    .replace(/\(\s*\)/g, "")
    .replace(/\s+([,;.)])/g, "$1")
    .replace(/\s{2,}/g, " ")
    .trim();
}

/** The first web address in a text, as a link (code repositories excluded). */
function firstWebAddress(text: string): string | null {
  for (const match of text.matchAll(/\b(https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,}(?:\/[^\s,;)'"]*)?)/gi)) {
    const address = match[2] ?? "";
    const host = address.split("/")[0]?.toLowerCase() ?? "";
    // A file name such as co2.js or NOTES.md is not an address; a repository is not a page to read.
    if (!match[1] && !address.includes("/") && !/\.(com|org|net|gov|io|ai|eu|co|uk|de|fr|blog)$/.test(host)) continue;
    if (/(^|\.)github(usercontent)?\.com$/.test(host)) continue;
    if (/\.(csv|json|js|ts|md|py)$/i.test(address)) continue;
    return `https://${address.replace(/[.:]+$/, "")}`;
  }
  return null;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Publisher/title, plain trail and link of one source text.
 * @param source the price book's `source` text (any figure's provenance)
 */
export function sourceInWords(source: string): SourceInWords {
  const trail = plainTrail(source);
  // The trail may open with the book's own confidence tag ("low (platform estimate): …"): the badge says that.
  let title = trail.replace(/^secondary:\s*/i, "").replace(/^(?:low|medium|high)\b(?: \([^)]*\))?:\s*/i, "");
  // The publisher and title end where the details start: a bracket, a colon, a list, "as used in".
  const cut = title.search(
    /\s\(|;|: | \| |, an open |, the open |, as | as (?:reported|recorded|relayed|used|tabulated) | per https?:/,
  );
  if (cut > 0) title = title.slice(0, cut);
  // A source that starts with a web address is published by that site: name the site.
  const site = /^(?:https?:\/\/)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})\//i.exec(title);
  if (site?.[1]) return { title: site[1], trail, url: firstWebAddress(source) };
  title = title.replace(/[,.\s]+$/, "");
  if (title.length > 90) {
    const space = title.lastIndexOf(" ", 88);
    title = `${title.slice(0, space > 40 ? space : 88)}…`;
  }
  if (!title) title = "Source not named";
  return { title: capitalise(title), trail, url: firstWebAddress(source) };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A resolver note in people's words (issue 18 item 8): the trail as `plainTrail` gives it, and
 * every option id, catalog id or machine-preset name replaced by the product name the page shows
 * ("option api-api:openrouter:llama3.3-70b: buys … (api:openrouter:llama3.3-70b, named offer)" →
 * "OpenRouter Llama 3.3 70B API: buys … (named offer)"). An id the caller cannot name is left out
 * of "option <id>" phrases ("this path"), never printed.
 * @param note the resolver's note
 * @param names product name by id (option ids, catalog ids, instance types, field paths)
 */
export function noteInWords(note: string, names: Readonly<Record<string, string>>): string {
  let out = plainTrail(note);
  // "(option build-x)" after a name is redundant; "option build-x" alone is the path's name.
  out = out.replace(/\s*\(option [^\s)]+\)/g, "");
  // Longest ids first, so "api-custom" is not read inside a longer id (ids may hold colons).
  const ids = Object.keys(names).sort((a, b) => b.length - a.length);
  for (const id of ids) out = out.replaceAll(`option ${id}`, names[id] as string);
  out = out.replace(/\boption \S+?(?=:\s|[\s,;)]|$)/g, "this path");
  for (const id of ids) {
    if (!out.includes(id)) continue;
    const name = names[id] as string;
    const pattern = escapeRegExp(id);
    out = out
      // "(catalog-id, named offer)" repeats what the sentence said: drop the id.
      .replace(new RegExp(`\\(${pattern}, `, "g"), "(")
      .replace(new RegExp(`\\s*\\(${pattern}\\)`, "g"), "")
      .replace(new RegExp(`(?<![\\w:.-])${pattern}(?![\\w:-])`, "g"), name);
  }
  return out.replace(/\s{2,}/g, " ").trim();
}

/** A path of a scenario as `noteNames` needs it: its id, kind and catalog row (server, offer or token price). */
interface NamedOption {
  id: string;
  kind: "build" | "lease" | "api";
  sku?: string | undefined;
  offer?: string | undefined;
}

/**
 * The names `noteInWords` uses for a scenario's notes: each option id and its catalog row's id
 * by the option's product name, and a lease's machine preset ("gpu-b200-sxm_8gpu-160vcpu-1792gb")
 * by "8× B200".
 * @param options the scenario's options
 * @param book the price book the scenario was resolved with
 * @param nameOf the product name the page or document shows for an option id
 */
export function noteNames(
  options: readonly NamedOption[],
  book: Pick<PriceBook, "cloudOffers"> | null,
  nameOf: (optionId: string) => string | undefined,
): Record<string, string> {
  const names: Record<string, string> = {};
  for (const option of options) {
    const name = nameOf(option.id);
    if (!name) continue;
    names[option.id] = name;
    const row = option.kind === "build" ? option.sku : option.offer;
    if (row) names[row] = name;
    const offer = option.kind === "lease" && row ? book?.cloudOffers.find((item) => item.id === row) : undefined;
    if (offer && (offer.instanceType.includes("_") || offer.instanceType.split("-").length > 4))
      names[offer.instanceType] = `${offer.acceleratorCount}× ${offer.accelerator}`;
  }
  return names;
}

/** A figure's provenance as the resolver and the web app carry it (structured since ADR 030). */
export interface ProvenanceLike {
  source: string;
  /** Ids in the book's `sources` register; absent in answers made before sources were records. */
  sourceIds?: readonly string[] | undefined;
  confidence?: string | null | undefined;
  method?: string | null | undefined;
}

/** A provenance in people's words: `SourceInWords` plus the one-line label and the method. */
export interface ProvenanceInWords extends SourceInWords {
  /** "U.S. EIA, Electric Power Annual · high confidence" (no file names, lines or repository paths). */
  line: string;
  /** How a derived figure was computed, in plain words (null when taken as published). */
  method: string | null;
  /** True when a source is not a publication (a mock-up or an unnamed estimate, ADR 030). */
  unverified: boolean;
}

/** One source record in words: publisher and title, or an open data set on GitHub by its name. */
export function sourceRecordInWords(record: SourceRecord): string {
  if (record.repository) {
    const name = record.repository.split("/")[1] ?? record.repository;
    return record.publisher === "mlcommons" ? `MLCommons, ${openData(name)}` : capitalise(openData(name));
  }
  const title = plainTrail(record.title);
  const publisher = record.publisher;
  if (!title || title === publisher) return publisher;
  if (title.toLowerCase().startsWith(publisher.toLowerCase()))
    return capitalise(title.replace(new RegExp(`^${escapeRegExp(publisher)}:\\s*`, "i"), `${publisher}, `));
  return `${publisher}, ${title}`;
}

/** The register by id, made once per register array (a page draws one note per figure, ADR 044). */
const registersById = new WeakMap<readonly SourceRecord[], ReadonlyMap<string, SourceRecord>>();
function registerById(
  sources: readonly SourceRecord[] | ReadonlyMap<string, SourceRecord>,
): ReadonlyMap<string, SourceRecord> {
  if (sources instanceof Map) return sources as ReadonlyMap<string, SourceRecord>;
  const list = sources as readonly SourceRecord[];
  let byId = registersById.get(list);
  if (!byId) {
    byId = new Map(list.map((record) => [record.id, record]));
    registersById.set(list, byId);
  }
  return byId;
}

/**
 * The one renderer of a figure's provenance (ADR 030): its source records in people's words
 * ("U.S. EIA, Electric Power Annual · high confidence"), linked, with the method on demand.
 * Falls back to rewriting the free-text source when the figure names no source ids.
 * @param provenance the figure's provenance (source text, source ids, confidence, method)
 * @param sources the price book's source register (`book.sources`)
 */
export function provenanceInWords(
  provenance: ProvenanceLike,
  sources: readonly SourceRecord[] | ReadonlyMap<string, SourceRecord>,
): ProvenanceInWords {
  const byId = registerById(sources);
  const records = (provenance.sourceIds ?? [])
    .map((id) => byId.get(id))
    .filter((record): record is SourceRecord => record !== undefined);
  const method = provenance.method ? plainTrail(provenance.method) : null;
  const confidence = provenance.confidence ? ` · ${provenance.confidence} confidence` : "";
  if (records.length === 0) {
    const words = sourceInWords(provenance.source);
    return { ...words, line: `${words.title}${confidence}`, method, unverified: false };
  }
  // Unverified when the figure rests on a non-publication: its first source, or all of them.
  const unverified = records[0]?.kind === "unverified" || records.every((record) => record.kind === "unverified");
  const names = [...new Set(records.map(sourceRecordInWords))];
  const first = names[0] ?? "Source not named";
  // One line: a long title (a page name read from its address) is cut at a word.
  const cut = first.lastIndexOf(" ", 78);
  const title = first.length > 80 ? `${first.slice(0, cut > 40 ? cut : 78)}…` : first;
  const more = names.length > 1 ? ` and ${names.length - 1} more` : "";
  const url = records.find((record) => record.url && !record.repository)?.url ?? null;
  return {
    title: `${title}${more}`,
    trail: names.join("; "),
    url,
    line: `${title}${more}${confidence}${unverified ? " · unverified source" : ""}`,
    method,
    unverified,
  };
}

/**
 * The sources of a figure as one plain sentence for documents (the proposal appendix, exports):
 * every source in people's words, "(unverified source)" where one is not a publication.
 * @param provenance the figure's provenance
 * @param sources the register of the book the figure came from (empty for a book without one)
 */
export function provenanceTrail(
  provenance: ProvenanceLike,
  sources: readonly SourceRecord[] | ReadonlyMap<string, SourceRecord>,
): string {
  const words = provenanceInWords(provenance, sources);
  return words.unverified ? `${words.trail} (unverified source)` : words.trail;
}
