/**
 * Where to go after signing in or up: only pages of this app named here (an open redirect is a
 * phishing tool). `?next=invite` returns to the invitation being accepted.
 */
export type NextPage = "invite" | "org" | "scenarios";

/** The page named by `?next=`, or the default. */
export function nextPage(raw: string | null, fallback: NextPage): NextPage {
  return raw === "invite" || raw === "org" || raw === "scenarios" ? raw : fallback;
}
