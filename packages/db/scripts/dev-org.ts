// `node packages/db/scripts/dev-org.ts [--persist-to DIR]`: make sure the LOCAL D1 has a
// development organisation and print a fresh admin API key for it. `npm start` runs it after
// migrations and seeding. Idempotent: the organisation is created once; every run mints a NEW key
// (keys are stored only as SHA-256, so an old one cannot be shown again, and no plaintext is
// written anywhere but this terminal).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { capture } from "../../../scripts/lib/run.ts";
import { mintApiKey } from "../src/tenancy/secrets.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Name of the organisation `npm start` creates for local use. */
export const DEV_ORG_NAME = "Development";

const ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** A random prefixed id like the API's (`org_…`, `key_…`): 16 characters of base32. */
export function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `${prefix}_${[...bytes].map((byte) => ID_ALPHABET[byte & 31]).join("")}`;
}

function sqlText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Run SQL against the local D1 (wrangler, CI=1 so it never prompts) and return the rows. */
export async function localD1(sql: string, persistTo?: string): Promise<Record<string, unknown>[]> {
  const args = ["d1", "execute", "DB", "--local", "--json", "--command", sql];
  if (persistTo) args.push("--persist-to", persistTo);
  const out = await capture("wrangler", args, { cwd: repoRoot });
  const parsed = JSON.parse(out.slice(out.indexOf("["))) as { results?: Record<string, unknown>[] }[];
  return parsed.flatMap((statement) => statement.results ?? []);
}

export interface MintOptions {
  persistTo?: string;
  /** Organisation id; default: the development organisation (created when missing). */
  orgId?: string;
  role?: "admin" | "editor" | "viewer";
  name?: string;
  expiresInDays?: number;
}

/**
 * Mint an API key in the local D1 (the development organisation unless `orgId` is given) and
 * return the plaintext. Only the SHA-256 and the display start are stored.
 */
export async function mintLocalKey(
  options: MintOptions = {},
): Promise<{ orgId: string; keyId: string; key: string; createdOrg: boolean }> {
  let orgId = options.orgId;
  let createdOrg = false;
  if (orgId === undefined) {
    const rows = await localD1(
      `SELECT id FROM organisations WHERE name = ${sqlText(DEV_ORG_NAME)} ORDER BY created_at, id LIMIT 1`,
      options.persistTo,
    );
    orgId = rows[0]?.id as string | undefined;
    if (orgId === undefined) {
      orgId = randomId("org");
      createdOrg = true;
    }
  } else {
    const rows = await localD1(`SELECT id FROM organisations WHERE id = ${sqlText(orgId)}`, options.persistTo);
    if (rows.length === 0) throw new Error(`No organisation ${orgId} in the local database.`);
  }
  const minted = await mintApiKey();
  const keyId = randomId("key");
  const now = new Date();
  const expiresAt =
    options.expiresInDays === undefined
      ? "NULL"
      : sqlText(new Date(now.getTime() + options.expiresInDays * 86_400_000).toISOString());
  const statements = [
    createdOrg
      ? `INSERT INTO organisations (id, name, created_at) VALUES (${sqlText(orgId)}, ${sqlText(DEV_ORG_NAME)}, ${sqlText(now.toISOString())})`
      : "",
    `INSERT INTO api_keys (id, org_id, name, key_hash, start, role, created_at, expires_at, revoked_at) VALUES (${[
      keyId,
      orgId,
      options.name ?? `local ${now.toISOString().slice(0, 16)}`,
      minted.keyHash,
      minted.start,
      options.role ?? "admin",
      now.toISOString(),
    ]
      .map(sqlText)
      .join(", ")}, ${expiresAt}, NULL)`,
  ].filter(Boolean);
  await localD1(statements.join("; "), options.persistTo);
  return { orgId, keyId, key: minted.plaintext, createdOrg };
}

function argValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const persistTo = argValue(process.argv.slice(2), "--persist-to");
  const result = await mintLocalKey(persistTo ? { persistTo } : {});
  console.log(
    [
      "",
      `Development organisation ${result.orgId}${result.createdOrg ? " (created)" : ""}: a fresh admin API key (shown once, stored only as SHA-256):`,
      "",
      `  ${result.key}`,
      "",
      `  export AIFP_KEY=${result.key}`,
      `  curl -s -H "Authorization: Bearer $AIFP_KEY" http://127.0.0.1:${process.env.PORT ?? 8787}/api/v1/scenarios`,
      "",
      `Web sign-in: open http://127.0.0.1:${process.env.PORT ?? 8787}/signup, create an account (no e-mail is sent),`,
      "then create an organisation and invite colleagues by link from its Members page (docs/accounts.md).",
      "",
    ].join("\n"),
  );
}
