/**
 * Turn a row's free-text source (the research trail the price book was built with) into source
 * records (ADR 030). Used by `scripts/source-ids.ts`, which writes `source_ids` into the data
 * files and new records into `sources.csv`. Pure text work: each web address, repository file and
 * named publication in the text becomes one record; nothing is invented (a title is the words the
 * text puts before the address, else the address's site).
 */
import { slug } from "../slug.ts";
import type { SourceKind, SourceRecord } from "./source-records.ts";

/** A reference found in a source text, before it has an id. */
export interface FoundReference {
  /** What makes two references the same record (normalised address, or repository+path+commit). */
  key: string;
  publisher: string;
  title: string;
  url: string | null;
  repository: string | null;
  commit: string | null;
  path: string | null;
  kind: SourceKind;
  note: string | null;
  /** Suggested id (made unique by the caller). */
  idHint: string;
}

/** Sites whose own pages are the primary publication (the publisher's own price list, datasheet, card). */
const PUBLISHERS: Record<string, string> = {
  "eia.gov": "U.S. EIA",
  "ec.europa.eu": "Eurostat",
  "huggingface.co": "Hugging Face",
  "aws.amazon.com": "AWS",
  "docs.aws.amazon.com": "AWS",
  "cloud.google.com": "Google Cloud",
  "ai.google.dev": "Google",
  "azure.microsoft.com": "Microsoft Azure",
  "learn.microsoft.com": "Microsoft",
  "docs.nvidia.com": "NVIDIA",
  "nvidia.com": "NVIDIA",
  "developer.nvidia.com": "NVIDIA",
  "amd.com": "AMD",
  "anthropic.com": "Anthropic",
  "openai.com": "OpenAI",
  "platform.openai.com": "OpenAI",
  "mistral.ai": "Mistral AI",
  "together.ai": "Together AI",
  "fireworks.ai": "Fireworks AI",
  "groq.com": "Groq",
  "deepinfra.com": "DeepInfra",
  "openrouter.ai": "OpenRouter",
  "cbre.com": "CBRE",
  "turnerandtownsend.com": "Turner & Townsend",
  "intelligence.uptimeinstitute.com": "Uptime Institute",
  "uptimeinstitute.com": "Uptime Institute",
  "vertiv.com": "Vertiv",
  "dell.com": "Dell",
  "hpe.com": "HPE",
  "lenovopress.lenovo.com": "Lenovo",
  "supermicro.com": "Supermicro",
  "cisco.com": "Cisco",
  "lambda.ai": "Lambda",
  "lambdalabs.com": "Lambda",
  "coreweave.com": "CoreWeave",
  "nebius.com": "Nebius",
  "runpod.io": "RunPod",
  "oracle.com": "Oracle",
  "ember-energy.org": "Ember",
  "electricitymaps.com": "Electricity Maps",
  "app.electricitymaps.com": "Electricity Maps",
  "iea.org": "IEA",
  "epa.gov": "U.S. EPA",
  "ofgem.gov.uk": "Ofgem",
  "gov.uk": "UK Government",
};

/** Repository owners that publish their own data (the repository is the publication). */
const PRIMARY_OWNERS = new Set(["mlcommons", "semianalysisai", "nvidia", "meta-llama", "epoch-research", "ai-dynamo"]);

/** Hosts that are code hosting, not a page of the publisher. */
const isGithub = (host: string) => /(^|\.)github(usercontent)?\.com$/.test(host);

const TLDS =
  "com|org|net|gov|io|ai|eu|co|uk|de|fr|blog|jp|se|tech|info|dev|app|cloud|me|news|xyz|us|ca|nl|ch|in|cn|network|pro|ly|sg|no|site|online|tv|sh|cc";

function publisherOf(host: string): { publisher: string; primary: boolean } {
  for (let candidate = host; candidate.includes("."); candidate = candidate.slice(candidate.indexOf(".") + 1)) {
    const name = PUBLISHERS[candidate];
    if (name) return { publisher: name, primary: true };
  }
  return { publisher: host, primary: false };
}

/** Normalise an address for de-duplication: https, no `www.`, no trailing punctuation or slash. */
function normaliseUrl(raw: string): string {
  let url = raw.replace(/[.,;:)\]'"]+$/, "");
  if (!/^https?:\/\//.test(url)) url = `https://${url}`;
  url = url.replace(/^http:\/\//, "https://").replace(/^https:\/\/www\./, "https://");
  return url.replace(/\/$/, "");
}

/** `owner/name` that is a code repository (CamelCase or hyphenated), never a unit like kWh/yr. */
function looksLikeRepository(owner: string, name: string): boolean {
  if (owner.length < 3 || name.length < 4 || owner.includes(".")) return false;
  if (/^\d+$/.test(owner) || /^\d+$/.test(name)) return false;
  return name.includes("-") || owner.includes("-") || /[a-z][A-Z]/.test(owner) || /[a-z][A-Z]/.test(name);
}

/**
 * The words a text puts before a position, as a title: the clause (after the last `;`, `|` or
 * sentence break) up to the address, without joining words ("per", "via", "at").
 */
function titleBefore(textBefore: string): string | null {
  const clause = (textBefore.split(/;|\||\.\s|:\s/).at(-1) ?? "").replace(/(?:https?:\/\/|www\.)\S+/g, " ");
  const title = clause
    .replace(
      /\s*\b(?:per|via|at|from|in|on|see|quoted in|as quoted by|read via|read from|and|as copied(?: in| on)?|cited in|as (?:reported|summarised|described|restated|relayed)(?: by| on| in)?|reported by)\s*[(,]?\s*$/i,
      "",
    )
    .replace(/[\s,(]+$/, "")
    .replace(/^[\s,)]+/, "")
    .replace(/^(?:high|medium|low)\s*:\s*/i, "")
    .trim();
  // A figure ("'$515K'", "~20%") or a fragment is not a title.
  if (
    title.length < 4 ||
    title.length > 140 ||
    /[$%~£€]|^['"\d]/.test(title) ||
    !/[A-Za-z]{3,}/.test(title) ||
    /\b(?:cites|says|gives|quotes|quoted)$/i.test(title) ||
    // A joining phrase ("read via") or a figure with its unit ("power range 120-140 kW") is not a title either.
    /^(?:read|via|per|see|and|from)\b/i.test(title) ||
    /\d\s*(?:kW|W|GB|TB)\b/.test(title)
  )
    return null;
  return title;
}

/** A title from the address alone: the publisher and the page's last path segment in words. */
function titleFromAddress(url: string, publisher: string): string {
  const segment = url
    .replace(/^https:\/\/[^/]+/, "")
    .split(/[?#]/)[0]
    ?.split("/")
    .filter(Boolean)
    .at(-1)
    ?.replace(/\.(?:html?|php|aspx|pdf)$/i, "")
    .replace(/[-_+]+/g, " ")
    .trim();
  return segment && /[A-Za-z]{3,}/.test(segment) ? `${publisher}: ${segment}` : publisher;
}

function repositoryReference(owner: string, name: string, commit: string | null, path: string | null): FoundReference {
  const repository = `${owner}/${name}`;
  const cleanPath = path ? path.replace(/^\/+|[.,;:)]+$/g, "") || null : null;
  const file = cleanPath ? (cleanPath.split("/").at(-1) ?? cleanPath) : null;
  return {
    key: `repo:${repository.toLowerCase()}|${cleanPath ?? ""}|${commit ?? ""}`,
    publisher: owner,
    title: file ? `${name}: ${file}` : name,
    url: `https://github.com/${repository}`,
    repository,
    commit,
    path: cleanPath,
    kind: PRIMARY_OWNERS.has(owner.toLowerCase()) ? "primary" : "secondary",
    note: null,
    idHint: slug([owner, name, file?.replace(/\.\w+$/, "") ?? "", commit?.slice(0, 7) ?? ""].filter(Boolean).join("-")),
  };
}

/** References in one source text, in the order the text names them (duplicates removed). */
export function extractReferences(sourceText: string): FoundReference[] {
  const found: { at: number; ref: FoundReference }[] = [];
  // Blank out what a pattern consumed so a later pattern does not read it again.
  let rest = sourceText;
  const take = (pattern: RegExp, make: (match: RegExpMatchArray) => FoundReference | null) => {
    for (const match of rest.matchAll(pattern)) {
      const ref = make(match);
      if (!ref) continue;
      const at = match.index;
      found.push({ at, ref });
      rest = rest.slice(0, at) + " ".repeat(match[0].length) + rest.slice(at + match[0].length);
    }
  };
  // 1. GitHub addresses, with a commit or branch and a path when given.
  take(
    /(?:https?:\/\/)?github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:\/(?:blob|tree|commit)\/([\w.-]+)(\/[^\s,;)"']*)?)?(?=[\s,;)"'/]|$)/g,
    (m) => {
      const ref = m[3] ?? null;
      const commit = ref && /^[0-9a-f]{7,40}$/.test(ref) ? ref : null;
      // "owner/repo path@sha" written after a github.com address.
      const after = /^\s+([\w./-]+\.\w+)?\s*@\s?([0-9a-f]{6,40})\b/.exec(
        sourceText.slice((m.index ?? 0) + m[0].length),
      );
      return repositoryReference(m[1] ?? "", m[2] ?? "", commit ?? after?.[2] ?? null, m[4] ?? after?.[1] ?? null);
    },
  );
  // 2. A repository file pinned at a commit: "owner/repo path/file.csv@sha" or "owner/repo @sha".
  take(/(?<![\w./-])([A-Za-z0-9][\w-]*)\/([\w.-]*\w)(?:\s+`?([\w./-]+?)`?)?\s*@\s?([0-9a-f]{6,40})\b/g, (m) =>
    looksLikeRepository(m[1] ?? "", m[2] ?? "") || /^[0-9a-f]{6,40}$/.test(m[4] ?? "")
      ? m[1]?.includes(".")
        ? null
        : repositoryReference(m[1] ?? "", m[2] ?? "", m[4] ?? null, m[3] ?? null)
      : null,
  );
  // 3. Web addresses, with or without the scheme.
  take(
    new RegExp(
      String.raw`(?<![\w@/.-])(?:https?:\/\/)?((?:[a-z0-9-]+\.)+(?:${TLDS}))(?![\w-])(\/[^\s,;)"'<>]*)?`,
      "gi",
    ),
    (m) => {
      const host = (m[1] ?? "").toLowerCase().replace(/^www\./, "");
      if (isGithub(host)) return null;
      // A file name (co2.js, NOTES.md) is not an address.
      if (
        !m[0].includes("/") &&
        !m[0].startsWith("http") &&
        !/\.(?:com|org|net|gov|ai|io|blog|tech|jp|uk|de|fr|eu)$/i.test(host)
      )
        return null;
      const url = normaliseUrl(m[0]);
      const { publisher, primary } = publisherOf(host);
      const title = titleBefore(sourceText.slice(0, m.index)) ?? titleFromAddress(url, publisher);
      return {
        key: `url:${url.toLowerCase()}`,
        publisher,
        title,
        url,
        repository: null,
        commit: null,
        path: null,
        kind: primary ? "primary" : "secondary",
        note: null,
        idHint: slug(url.replace(/^https:\/\//, "").replace(/\.(?:html?|php|aspx)$/, "")).slice(0, 64),
      };
    },
  );
  // 4. A bare repository name ("(AssimilatedCoder/sesterce-sev1-mockup)").
  take(/(?<![\w./-])([A-Za-z0-9][\w-]*)\/([A-Za-z0-9][\w.-]*[\w])(?![\w/])/g, (m) =>
    looksLikeRepository(m[1] ?? "", m[2] ?? "") ? repositoryReference(m[1] ?? "", m[2] ?? "", null, null) : null,
  );
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.at - b.at)
    .map((item) => item.ref)
    .filter((ref) => (seen.has(ref.key) ? false : (seen.add(ref.key), true)));
}

/**
 * A publication named only in words (no address, no repository): "Uptime Institute Intelligence
 * update 221 (Nov 2023)". Its title is the text up to the first bracket, comma or colon.
 */
export function namedReference(sourceText: string): FoundReference | null {
  const title = sourceText
    .replace(/\s*(?:https?:\/\/)\S+/g, "")
    .split(/\s\(|;|: |,\s(?:as|cited|via|per)\b/)[0]
    ?.replace(/^(?:high|medium|low)\s*(?:\([^)]*\))?\s*:\s*/i, "")
    .replace(/[\s,.]+$/, "")
    .trim();
  if (!title || title.length < 4 || /^(?:not found|no|none)\b/i.test(title)) return null;
  const short = title.length > 120 ? `${title.slice(0, title.lastIndexOf(" ", 118))}…` : title;
  return {
    key: `named:${short.toLowerCase()}`,
    publisher: short.split(/\s(?:[A-Z][a-z]+ )?(?:\d|report|survey|index|model card|datasheet)/i)[0] ?? short,
    title: short,
    url: null,
    repository: null,
    commit: null,
    path: null,
    kind: "secondary",
    note: null,
    idHint: slug(short).slice(0, 64),
  };
}

/** A record for a found reference, with its id and dates. */
export function toRecord(ref: FoundReference, id: string, retrieved: string): SourceRecord {
  return {
    id,
    kind: ref.kind,
    publisher: ref.publisher,
    title: ref.title,
    url: ref.url,
    published: null,
    retrieved,
    repository: ref.repository,
    commit: ref.commit,
    path: ref.path,
    note: ref.note,
  };
}

/** The key a stored record answers to, the same way `extractReferences` keys what it finds. */
export function recordKey(record: SourceRecord): string {
  if (record.repository) return `repo:${record.repository.toLowerCase()}|${record.path ?? ""}|${record.commit ?? ""}`;
  if (record.url) return `url:${record.url.toLowerCase()}`;
  return `named:${record.title.toLowerCase()}`;
}
