import * as v from "valibot";
import { NameSchema, OrgSchema, RoleInputSchema, RoleSchema } from "./resources.ts";

/**
 * Wire schemas of people and access: members, the caller (`/me`), invitations, the audit log,
 * web sign-up and sign-in. Moved verbatim from the API's route modules so the web app takes its
 * types from here.
 */

/** Password length bounds (ASVS 5.0 6.2.1/6.2.9: at least 8, 64+ allowed; we ask 12). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** A member of the organisation (a person with a web account). */
export const MemberSchema = v.object({
  id: v.string(),
  userId: v.string(),
  name: v.string(),
  email: v.string(),
  role: RoleSchema,
  createdAt: v.string(),
});

export const PatchMemberBodySchema = v.strictObject({ role: RoleInputSchema });

export const MembershipSchema = v.object({
  orgId: v.string(),
  orgName: v.string(),
  role: RoleSchema,
  joinedAt: v.string(),
});

/** Who is calling: a person (with their organisations), an API key, or nobody. */
export const MeSchema = v.object({
  kind: v.picklist(["session", "key", "anonymous"]),
  user: v.nullable(v.object({ id: v.string(), name: v.string(), email: v.string() })),
  organisations: v.array(MembershipSchema),
  /** The organisation requests work in, with the caller's role there (null: none yet). */
  active: v.nullable(v.object({ orgId: v.string(), orgName: v.string(), role: RoleSchema })),
});

export const CreateMyOrgBodySchema = v.strictObject({ name: NameSchema });
export const SwitchOrgBodySchema = v.strictObject({
  orgId: v.pipe(v.string("expected an organisation id"), v.maxBytes(64, "expected at most 64 bytes")),
});

/** Prefix of invitation tokens (32 random bytes, base58), easy to spot in a leaked log. */
export const INVITATION_TOKEN_PREFIX = "aifp_inv_";

/** Default and longest lifetime of an invitation link. */
export const DEFAULT_INVITATION_DAYS = 7;
export const MAX_INVITATION_DAYS = 30;

export const InvitationSchema = v.object({
  id: v.string(),
  role: RoleSchema,
  note: v.nullable(v.string()),
  createdAt: v.string(),
  expiresAt: v.string(),
  status: v.picklist(["pending", "accepted", "revoked", "expired"]),
  acceptedAt: v.nullable(v.string()),
  revokedAt: v.nullable(v.string()),
});

/** An invitation as created: `url` is the link to hand over, shown once (null on a replay). */
export const CreatedInvitationSchema = v.object({ ...InvitationSchema.entries, url: v.nullable(v.string()) });

export const CreateInvitationBodySchema = v.strictObject({
  role: RoleInputSchema,
  /** Who it is for, for the admin's own list ("Dana, finance"); never shown to the invitee. */
  note: v.optional(NameSchema),
  expiresInDays: v.optional(
    v.pipe(
      v.number("expected a number"),
      v.integer("expected a whole number of days"),
      v.minValue(1, "expected a number >= 1"),
      v.maxValue(MAX_INVITATION_DAYS, `expected a number <= ${MAX_INVITATION_DAYS}`),
    ),
  ),
});

export const TokenSchema = v.pipe(
  v.string("expected the invitation token"),
  v.startsWith(INVITATION_TOKEN_PREFIX, "expected the token from an invitation link"),
  v.maxLength(128, "expected at most 128 characters"),
);
export const InvitationTokenBodySchema = v.strictObject({ token: TokenSchema });

export const InvitationPreviewSchema = v.object({ orgName: v.string(), role: RoleSchema, expiresAt: v.string() });
export const InvitationAcceptedSchema = v.object({ orgId: v.string(), orgName: v.string(), role: RoleSchema });

export const AuditEventSchema = v.object({
  id: v.string(),
  at: v.string(),
  actor: v.object({ kind: v.picklist(["session", "key", "system"]), id: v.string() }),
  action: v.string(),
  target: v.object({ kind: v.string(), id: v.string() }),
  detail: v.record(v.string(), v.unknown()),
});

/** An e-mail address: trimmed, lower-cased, at most 254 bytes (RFC 5321 path limit). */
export const EmailSchema = v.pipe(
  v.string("expected an e-mail address"),
  v.trim(),
  v.toLowerCase(),
  v.maxBytes(254, "expected at most 254 bytes"),
  v.email("expected an e-mail address such as name@example.com"),
);

export const PasswordSchema = v.pipe(
  v.string("expected a password"),
  v.minLength(MIN_PASSWORD_LENGTH, `expected at least ${MIN_PASSWORD_LENGTH} characters`),
  v.maxLength(MAX_PASSWORD_LENGTH, `expected at most ${MAX_PASSWORD_LENGTH} characters`),
);

export const SignUpBodySchema = v.strictObject({ name: NameSchema, email: EmailSchema, password: PasswordSchema });
export const SignInBodySchema = v.strictObject({
  email: EmailSchema,
  password: v.pipe(
    v.string("expected a password"),
    v.minLength(1, "expected a password"),
    v.maxLength(MAX_PASSWORD_LENGTH, `expected at most ${MAX_PASSWORD_LENGTH} characters`),
  ),
});
export const SignOutBodySchema = v.strictObject({});

export const SignedInSchema = v.object({
  user: v.object({ id: v.string(), name: v.string(), email: v.string() }),
});

/** `POST /me/orgs`: the organisation created, with the caller's role in it (admin). */
export const MyOrgCreatedSchema = v.object({ organisation: OrgSchema, role: RoleSchema });
/** `POST /me/active-org`: the organisation now active. */
export const ActiveOrgSchema = v.object({ orgId: v.string(), role: RoleSchema });
/** `POST /auth/sign-out`. */
export const SignedOutSchema = v.object({ signedOut: v.literal(true) });

export type Member = v.InferOutput<typeof MemberSchema>;
export type Membership = v.InferOutput<typeof MembershipSchema>;
export type Me = v.InferOutput<typeof MeSchema>;
export type Invitation = v.InferOutput<typeof InvitationSchema>;
export type CreatedInvitation = v.InferOutput<typeof CreatedInvitationSchema>;
export type InvitationPreview = v.InferOutput<typeof InvitationPreviewSchema>;
export type InvitationAccepted = v.InferOutput<typeof InvitationAcceptedSchema>;
export type AuditEvent = v.InferOutput<typeof AuditEventSchema>;
export type SignedIn = v.InferOutput<typeof SignedInSchema>;
/** What a client sends (before the schema's transforms: `member` is still accepted as a role). */
export type CreateInvitationBody = v.InferInput<typeof CreateInvitationBodySchema>;
export type SignUpBody = v.InferInput<typeof SignUpBodySchema>;
export type SignInBody = v.InferInput<typeof SignInBodySchema>;
export type MyOrgCreated = v.InferOutput<typeof MyOrgCreatedSchema>;
export type ActiveOrg = v.InferOutput<typeof ActiveOrgSchema>;
export type SignedOut = v.InferOutput<typeof SignedOutSchema>;
/** What a client sends to `POST /me/orgs` and `POST /me/active-org`. */
export type CreateMyOrgBody = v.InferInput<typeof CreateMyOrgBodySchema>;
export type SwitchOrgBody = v.InferInput<typeof SwitchOrgBodySchema>;
export type PatchMemberBody = v.InferInput<typeof PatchMemberBodySchema>;
