import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Row shapes of every table. Portable by construction, so SQLite and PostgreSQL run the same
 * queries: IDs are text (UUIDs), times are ISO-8601 text (they sort correctly as strings), flags
 * are integers 0/1 and structured values are JSON text.
 */
export interface Database {
  rate_limits: RateLimitsTable;
  locations: LocationsTable;
  consultants: ConsultantsTable;
  invitations: InvitationsTable;
  associations: AssociationsTable;
  check_runs: CheckRunsTable;
  verdicts: VerdictsTable;
  mail_outbox: MailOutboxTable;
  audit_events: AuditEventsTable;
  api_tokens: ApiTokensTable;
  token_caches: TokenCachesTable;
  auth_attempts: AuthAttemptsTable;
  batches: BatchesTable;
  console_sign_ins: ConsoleSignInsTable;
  console_sessions: ConsoleSessionsTable;
  finding_acknowledgements: FindingAcknowledgementsTable;
  automation_identities: AutomationIdentitiesTable;
}

export interface LocationsTable {
  id: string;
  label: string;
  is_default: number;
  created_at: string;
}

export interface ConsultantsTable {
  id: string;
  email: string;
  display_name: string;
  location_id: string;
  /** JSON array of tenant IDs the consultant is expected to work in. */
  customer_tenants: string;
  status: 'active' | 'offboarded';
  created_at: string;
  updated_at: string;
  offboarded_at: string | null;
  /** MSAL's `uid.utid` of the account the consultant signed in with; keys their token cache. */
  home_account_id: Generated<string | null>;
  signed_in_as: Generated<string | null>;
  last_signed_in_at: Generated<string | null>;
}

export type InvitationState = 'open' | 'completed' | 'superseded' | 'revoked';

export interface InvitationsTable {
  id: string;
  consultant_id: string;
  tenant_id: string | null;
  /** SHA-256 of the token with the server pepper; the token itself is never stored. */
  token_hash: string;
  state: InvitationState;
  batch_id: string | null;
  created_at: string;
  expires_at: string;
  claimed_at: string | null;
  completed_at: string | null;
  reminders_sent: Generated<number>;
  last_sent_at: string | null;
  /** The server key the link token was derived with; null for tokens issued before derivation. */
  token_key_id: Generated<string | null>;
  /** JSON array of the tenants the consultant still has something to do in; null before a sign-in. */
  open_tenants: Generated<string | null>;
}

export interface AssociationsTable {
  id: string;
  /** The consultant whose link this is; null for an automation identity's (exactly one is set). */
  consultant_id: string | null;
  /** The service principal or managed identity whose link this is (kind `service_principal`). */
  automation_identity_id: Generated<string | null>;
  kind: 'user' | 'service_principal';
  tenant_id: string;
  tenant_name: string | null;
  object_id: string;
  partner_id: string;
  previous_partner_id: string | null;
  linked_at: string;
  status: 'active' | 'inactive';
  verdict: string | null;
  verdict_since: string | null;
  last_checked_at: string | null;
  /** 1 when the latest check failed transiently and `verdict` is the one before it. */
  verdict_stale: Generated<number>;
  evidence: string | null;
}

export interface CheckRunsTable {
  id: string;
  trigger: 'schedule' | 'manual' | 'cli';
  state: 'queued' | 'running' | 'completed' | 'failed';
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** JSON object: verdict → count, plus totals. */
  counts: string | null;
  error: string | null;
  /** Associations the run checks; null until it has listed them. */
  total: Generated<number | null>;
  done: Generated<number>;
  /** Moved on with every association checked: a stale heartbeat means the process died. */
  heartbeat_at: Generated<string | null>;
  /** The schedule occurrence (ISO time) a scheduled run was started for; unique, so it starts once. */
  schedule_slot: Generated<string | null>;
}

export interface VerdictsTable {
  id: string;
  run_id: string;
  association_id: string;
  verdict: string;
  previous_verdict: string | null;
  evidence: string;
  checked_at: string;
  /** The instance (host, process) that checked it. */
  checked_by: Generated<string | null>;
}

export type MailState = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface MailOutboxTable {
  id: string;
  /** `invitation` / `reminder` / `reinvite` (rendered at send time) or a kind with a stored body. */
  kind: string;
  to_address: string;
  consultant_id: string | null;
  invitation_id: string | null;
  batch_id: string | null;
  subject: string | null;
  text_body: string | null;
  html_body: string | null;
  state: MailState;
  attempts: Generated<number>;
  next_attempt_at: string;
  /** The sender holding the message while `sending`, and until when; an expired claim is taken over. */
  claimed_by: string | null;
  claim_expires_at: string | null;
  /** The sender (one per instance) that delivered it. */
  sent_by: Generated<string | null>;
  last_error: string | null;
  provider_message_id: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface BatchesTable {
  id: string;
  kind: 'invitation' | 'reminder' | 'reinvite';
  created_by: string;
  created_at: string;
  total: number;
  tenant_id: string | null;
}

export interface AuditEventsTable {
  id: string;
  at: string;
  actor: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  /** JSON object with whatever explains the event; never a token or secret. */
  detail: string | null;
  request_id: string | null;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  token_hash: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** One MSAL token cache (refresh token included) per account, sealed with AES-256-GCM. */
export interface TokenCachesTable {
  account_key: string;
  consultant_id: string;
  key_id: string;
  data: string;
  updated_at: string;
}

/** A sign-in in progress: what the OAuth callback must find to continue it. */
export interface AuthAttemptsTable {
  id: string;
  /** Hash of the OAuth `state`; the state itself travels only through the browser. */
  state_hash: string;
  invitation_id: string;
  /** Hash of the random value in the browser's short-lived cookie: the callback must come from it. */
  browser_hash: string;
  /** `organizations` or the customer tenant the invitation names. */
  authority: string;
  key_id: string;
  /** Sealed JSON: the PKCE verifier and the nonce. */
  secrets: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** An admin's console sign-in in progress (the console's counterpart of `auth_attempts`). */
export interface ConsoleSignInsTable {
  id: string;
  /** Hash of the OAuth `state`. */
  state_hash: string;
  /** Hash of the random value in the browser's short-lived sign-in cookie. */
  browser_hash: string;
  key_id: string;
  /** Sealed JSON: the PKCE verifier and the nonce. */
  secrets: string;
  /** The console path to land on after signing in (validated to be one of ours). */
  return_to: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A signed-in admin. The session ID lives only in the browser's cookie; this row holds its hash. */
export interface ConsoleSessionsTable {
  id_hash: string;
  email: string;
  name: string | null;
  tenant_id: string;
  object_id: string;
  /** Why the admin was let in: `admin_emails` or `app_role` (an email one is re-checked per request). */
  allowed_by: 'admin_emails' | 'app_role';
  created_at: string;
  /** Moved on as the admin works (at most once a minute); the idle timeout counts from it. */
  last_seen_at: string;
  /** The absolute end of the session, whatever the activity. */
  expires_at: string;
}

/** An admin saw a finding and said so: it holds while the association keeps that verdict. */
export interface FindingAcknowledgementsTable {
  id: string;
  association_id: string;
  verdict: string;
  /** The association's `verdict_since` when acknowledged: a new spell of the same verdict is a new finding. */
  verdict_since: string | null;
  note: string;
  acknowledged_by: string;
  acknowledged_at: string;
}

/** A non-human identity PAL Manager links and checks with its own credential (see src/automation). */
export interface AutomationIdentitiesTable {
  id: string;
  display_name: string;
  /** The tenant the identity signs in to (a customer's, or the partner's own under Lighthouse). */
  tenant_id: string;
  client_id: string;
  credential_kind: 'secret' | 'secret_env' | 'certificate' | 'managed_identity';
  /** The client secret, sealed (kind `secret`); never stored or shown in clear. */
  secret_key_id: string | null;
  secret_data: string | null;
  /** The environment variable the service reads the secret from (kind `secret_env`). */
  secret_env: string | null;
  /** A PEM file holding the private key and certificate (kind `certificate`). */
  certificate_path: string | null;
  lighthouse: number;
  location_id: string;
  /** The service principal's object ID in its tenant, learned from its first token. */
  object_id: string | null;
  status: 'active' | 'removed';
  created_at: string;
  updated_at: string;
}

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
export type RowUpdate<T extends keyof Database> = Updateable<Database[T]>;

/** Rate-limit counts shared by instances (PostgreSQL); `key` is `limiter:client`. */
export interface RateLimitsTable {
  key: string;
  hits: number;
  reset_at: string;
}
