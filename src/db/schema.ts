
/**
 * Table types for Kysely. Conventions that keep one query code for both engines:
 * ids are UUIDv7 text; instants are ISO-8601 UTC text; flags are integers 0/1;
 * structured values are JSON text.
 */
export interface OrgUnitTable {
  id: string;
  parent_id: string | null;
  /** Materialised path of ids, '/root/branch/dept/': a subtree is `path LIKE prefix || '%'`. */
  path: string;
  kind: 'group' | 'company' | 'department' | 'team';
  name: string;
  code: string;
  time_zone: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  phone: string | null;
  email: string | null;
  employee_no: string | null;
  org_unit_id: string;
  status: 'active' | 'disabled';
  password_hash: string;
  must_change_password: number;
  password_changed_at: string | null;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface RoleTable {
  id: string;
  key: string;
  name_zh: string;
  name_en: string;
  description: string;
  permissions: string;
  built_in: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface RoleGrantTable {
  id: string;
  user_id: string;
  role_id: string;
  org_unit_id: string;
  created_at: string;
}

export interface SessionTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface LoginAttemptTable {
  id: string;
  username: string;
  ip: string;
  at: string;
  success: number;
}

export interface AuditEntryTable {
  id: string;
  seq: number | null;
  at: string;
  actor_type: 'user' | 'token' | 'system';
  actor_id: string | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string;
  org_unit_id: string | null;
  changes: string;
  subject_type: string | null;
  subject_id: string | null;
  request_id: string | null;
  ip: string | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface AuditSubjectKeyTable {
  subject_type: string;
  subject_id: string;
  key: string;
  created_at: string;
}

export interface AuditChainTable {
  id: string;
  last_seq: number;
  last_hash: string;
}

export interface Database {
  org_units: OrgUnitTable;
  users: UserTable;
  roles: RoleTable;
  role_grants: RoleGrantTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  login_attempts: LoginAttemptTable;
  audit_entries: AuditEntryTable;
  audit_subject_keys: AuditSubjectKeyTable;
  audit_chain: AuditChainTable;
}

