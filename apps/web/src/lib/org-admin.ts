/**
 * The organisation-admin calls of the web app (members, invitations, API keys, audit log): thin,
 * typed wrappers over the API. The API decides who may do what; the pages only hide what a role
 * cannot use.
 */
import { apiJson, type Role } from "./account.svelte.ts";

export interface Member {
  id: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  createdAt: string;
}

export interface Invitation {
  id: string;
  role: Role;
  note: string | null;
  createdAt: string;
  expiresAt: string;
  status: "pending" | "accepted" | "revoked" | "expired";
  /** Only in the creation response: the link to hand over, shown once. */
  url?: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  start: string;
  role: Role;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** Only in the creation response: the key itself, shown once. */
  key?: string | null;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor: { kind: "session" | "key" | "system"; id: string };
  action: string;
  target: { kind: string; id: string };
  detail: Record<string, unknown>;
}

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export const listMembers = async (): Promise<Member[]> =>
  (await apiJson<Page<Member>>("GET", "/members?limit=100")).data.data;
export const changeRole = async (id: string, role: Role): Promise<Member> =>
  (await apiJson<Member>("PATCH", `/members/${id}`, { role })).data;
export const removeMember = async (id: string): Promise<void> => void (await apiJson("DELETE", `/members/${id}`));

export const listInvitations = async (): Promise<Invitation[]> =>
  (await apiJson<Page<Invitation>>("GET", "/invitations?limit=100")).data.data;
export const createInvitation = async (role: Role, note: string): Promise<Invitation> =>
  (await apiJson<Invitation>("POST", "/invitations", { role, ...(note.trim() ? { note: note.trim() } : {}) })).data;
export const revokeInvitation = async (id: string): Promise<Invitation> =>
  (await apiJson<Invitation>("DELETE", `/invitations/${id}`)).data;

export const listKeys = async (): Promise<ApiKey[]> =>
  (await apiJson<Page<ApiKey>>("GET", "/keys?limit=100")).data.data;
export const createKey = async (name: string, role: Role): Promise<ApiKey> =>
  (await apiJson<ApiKey>("POST", "/keys", { name, role })).data;
export const revokeKey = async (id: string): Promise<ApiKey> => (await apiJson<ApiKey>("DELETE", `/keys/${id}`)).data;

export const listAudit = async (): Promise<AuditEvent[]> =>
  (await apiJson<Page<AuditEvent>>("GET", "/audit?limit=100")).data.data;

/** What an audit action means, in plain words. */
export const AUDIT_LABELS: Record<string, string> = {
  "org.created": "Organisation created",
  "member.added": "Member added",
  "member.removed": "Member removed",
  "member.role_changed": "Role changed",
  "invitation.created": "Invitation link created",
  "invitation.revoked": "Invitation link revoked",
  "key.created": "API key created",
  "key.revoked": "API key revoked",
  "price_book.published": "Price book published",
  "proposal.issued": "Proposal issued",
  "proposal.shared": "Proposal shared",
  "quote.created": "Quote added",
  "quote.updated": "Quote changed",
  "quote.deleted": "Quote deleted",
};
