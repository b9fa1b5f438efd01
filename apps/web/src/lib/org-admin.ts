/**
 * The organisation-admin calls of the web app (members, invitations, API keys, audit log): thin,
 * typed wrappers over the API. The API decides who may do what; the pages only hide what a role
 * cannot use.
 */
import type {
  ApiKey,
  AuditEvent,
  CreatedApiKey,
  CreatedInvitation,
  Invitation,
  Member,
  Role,
} from "@aifp/contracts/api";
import { api } from "./api-client.ts";

export type { ApiKey, AuditEvent, Invitation, Member };

/** The first 100 of each list (an organisation's admin pages show one page). */
const FIRST_PAGE = { limit: 100 } as const;

export const listMembers = async (): Promise<Member[]> => (await api("GET /members", { query: FIRST_PAGE })).data.data;
export const changeRole = async (id: string, role: Role): Promise<Member> =>
  (await api("PATCH /members/{id}", { params: { id }, body: { role } })).data;
export const removeMember = async (id: string): Promise<void> =>
  void (await api("DELETE /members/{id}", { params: { id } }));

export const listInvitations = async (): Promise<Invitation[]> =>
  (await api("GET /invitations", { query: FIRST_PAGE })).data.data;
export const createInvitation = async (role: Role, note: string): Promise<CreatedInvitation> =>
  (await api("POST /invitations", { body: { role, ...(note.trim() ? { note: note.trim() } : {}) } })).data;
export const revokeInvitation = async (id: string): Promise<Invitation> =>
  (await api("DELETE /invitations/{id}", { params: { id } })).data;

export const listKeys = async (): Promise<ApiKey[]> => (await api("GET /keys", { query: FIRST_PAGE })).data.data;
export const createKey = async (name: string, role: Role): Promise<CreatedApiKey> =>
  (await api("POST /keys", { body: { name, role } })).data;
export const revokeKey = async (id: string): Promise<ApiKey> =>
  (await api("DELETE /keys/{id}", { params: { id } })).data;

export const listAudit = async (): Promise<AuditEvent[]> => (await api("GET /audit", { query: FIRST_PAGE })).data.data;

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
