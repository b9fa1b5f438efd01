import type { Role } from "./schemas.ts";

/**
 * The caller of an organisation-scoped route, the same shape for web sessions and API keys
 * (docs/accounts.md): every read and write is scoped to `orgId`, and `role` decides what it may do.
 */
export interface Principal {
  /** `session`: a signed-in person; `key`: an API key. */
  kind: "session" | "key";
  /** The user id (`usr_…`) for sessions, the key id (`key_…`) for keys. */
  id: string;
  /** The organisation every read and write is scoped to. */
  orgId: string;
  role: Role;
  /**
   * For keys: the person whose authority made the key (`usr_…`), inherited by the keys it
   * makes; null for keys made at sign-up or by an operator script. Absent for sessions.
   */
  createdByUserId?: string | null;
}
