/**
 * The signed-in person, as the web app sees them: loaded once from `GET /api/v1/me`, refreshed
 * after sign-in, sign-out and organisation changes. The session itself is an HttpOnly cookie
 * the page never sees; requests carry it because they go to the same origin.
 */
import type { Me, Role } from "@aifp/contracts/api";
import { ApiRequestError, api } from "./api-client.ts";

export type { Me, Role };

const ANONYMOUS: Me = { kind: "anonymous", user: null, organisations: [], active: null };

export const account = $state<{ me: Me; loaded: boolean }>({ me: ANONYMOUS, loaded: false });

let loading: Promise<Me> | null = null;

/** Load (or reload) who is signed in. */
export function refreshAccount(): Promise<Me> {
  loading = api("GET /me")
    .then(({ data }) => data)
    .catch(() => ANONYMOUS)
    .then((me) => {
      account.me = me;
      account.loaded = true;
      return me;
    });
  return loading;
}

/** Who is signed in, loading it the first time. */
export function accountReady(): Promise<Me> {
  return loading ?? refreshAccount();
}

/** What the sign-up page says when sign-up did not sign the person in (the address is taken). */
export const SIGN_UP_NOT_SIGNED_IN =
  "We could not sign you in with these details. If this e-mail address already has an account, sign in with its password instead (your organisation's admin can help if you forgot it).";

/**
 * Create an account and sign in (the server sets the session cookie). The API does not say
 * whether an address is taken (it answers the same way); a taken one just leaves no session.
 */
export async function signUp(input: { name: string; email: string; password: string }): Promise<Me> {
  await api("POST /auth/sign-up/email", { body: input });
  const me = await refreshAccount();
  if (me.kind !== "session") throw new Error(SIGN_UP_NOT_SIGNED_IN);
  return me;
}

/** Sign in with e-mail and password. */
export async function signIn(input: { email: string; password: string }): Promise<Me> {
  await api("POST /auth/sign-in/email", { body: input });
  return refreshAccount();
}

/** Sign out: the server deletes the session and clears the cookie. */
export async function signOut(): Promise<Me> {
  await api("POST /auth/sign-out", { body: {} });
  return refreshAccount();
}

/** Create an organisation; the person becomes its admin and works in it from now on. */
export async function createOrganisation(name: string): Promise<Me> {
  await api("POST /me/orgs", { body: { name } });
  return refreshAccount();
}

/** Work in another organisation the person belongs to. */
export async function switchOrganisation(orgId: string): Promise<Me> {
  await api("POST /me/active-org", { body: { orgId } });
  return refreshAccount();
}

/** Plain words for what a role may do, for people who do not think in permissions. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "Viewer: can open and read saved scenarios and plans",
  editor: "Editor: can also create and change scenarios, plans and proposals",
  admin: "Admin: can also manage members, invitations, API keys and price books",
};

/** The message of an API error, or a generic one. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiRequestError) return error.body?.error.message ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/** Field-level problems of an API error, by field name (`email`, `password`, …). */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiRequestError)
    for (const issue of error.body?.error.issues ?? []) out[issue.path] ??= issue.message;
  return out;
}
