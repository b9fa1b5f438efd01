// `npm run keys:create -- [--org ORG_ID] [--role viewer|editor|admin] [--name NAME] [--expires-in-days N]
//                         [--persist-to DIR]`
// Mint an API key in the LOCAL D1 (default: the development organisation `npm start` made) and
// print it once. Only its SHA-256 is stored. For a deployed Worker, create keys through the API
// (`POST /api/v1/keys` with an admin key).
import { mintLocalKey } from "../packages/db/scripts/dev-org.ts";

const USAGE = `Usage: npm run keys:create -- [--org ORG_ID] [--role viewer|editor|admin] [--name NAME] [--expires-in-days N] [--persist-to DIR]

Creates an API key in the local database (the development organisation unless --org is given)
and prints it once. Roles: "viewer" (reads), "editor" (default: also writes scenarios, plans, exports)
or "admin" (also manages keys and members); "member" is accepted as the old name of "editor".`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
const known = new Set(["--org", "--role", "--name", "--expires-in-days", "--persist-to"]);
const options: Record<string, string> = {};
for (let i = 0; i < args.length; i += 2) {
  const flag = args[i] as string;
  const value = args[i + 1];
  if (!known.has(flag) || value === undefined) {
    console.error(`Unknown or incomplete option "${flag}".\n\n${USAGE}`);
    process.exit(2);
  }
  options[flag] = value;
}
const givenRole = options["--role"] ?? "editor";
const role = givenRole === "member" ? "editor" : givenRole;
if (role !== "admin" && role !== "editor" && role !== "viewer") {
  console.error(`--role: expected "viewer", "editor" or "admin", got "${givenRole}"`);
  process.exit(2);
}
let expiresInDays: number | undefined;
if (options["--expires-in-days"] !== undefined) {
  expiresInDays = Number(options["--expires-in-days"]);
  if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 3650) {
    console.error(`--expires-in-days: expected a whole number from 1 to 3650, got "${options["--expires-in-days"]}"`);
    process.exit(2);
  }
}
try {
  const result = await mintLocalKey({
    role,
    ...(options["--org"] ? { orgId: options["--org"] } : {}),
    ...(options["--name"] ? { name: options["--name"] } : {}),
    ...(options["--persist-to"] ? { persistTo: options["--persist-to"] } : {}),
    ...(expiresInDays === undefined ? {} : { expiresInDays }),
  });
  console.log(
    `New ${role} key ${result.keyId} in organisation ${result.orgId}${result.createdOrg ? " (created)" : ""} (shown once):\n\n  ${result.key}\n`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error("Is the local database migrated? Run `npm start` (or `npm run db:migrate`) first.");
  process.exit(1);
}
