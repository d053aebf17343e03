
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

export interface CustomerTable {
  id: string;
  /** The owning company (branch) unit. */
  org_unit_id: string;
  name: string;
  /** Digits only, a leading + kept. */
  phone: string | null;
  email: string | null;
  vip: number;
  tier: 'strategic' | 'key' | 'ordinary';
  created_at: string;
  updated_at: string;
  version: number;
  /** The customer file 客户档案 (0014_customer_files.ts). */
  kind: string;
  gender: string | null;
  birthday: string | null;
  birthday_lunar: number;
  position: string | null;
  address: string | null;
  industry: string | null;
  org_size: string | null;
  relation_since: string | null;
  needs: string | null;
  preferences: string | null;
  notes: string | null;
  owner_id: string | null;
  category: string;
  member_level: string | null;
  credit_class: string | null;
  credit_date: string | null;
  credit_basis: string | null;
  tags: string;
  confidentiality: string;
  declassify_on: string | null;
  protected_sections: string;
  archived_at: string | null;
}

export interface CustomerIdentifierTable {
  id: string;
  customer_id: string;
  kind: string;
  /** Normalised value; for an ID number its HMAC only. */
  lookup: string;
  /** ID number: AES-256-GCM ciphertext. */
  sealed: string | null;
  masked: string;
  position: number;
}

export interface CustomerReadingTable {
  id: string;
  customer_id: string;
  org_unit_id: string;
  user_id: string | null;
  user_name: string;
  at: string;
  level: string;
  sections: string;
  reason: string;
}

export interface TicketCategoryTable {
  id: string;
  parent_id: string | null;
  name: string;
  sort: number;
  /** 0: not offered at intake any more; orders that have it keep it (0009). */
  enabled: number;
  version: number;
}

export interface TicketCounterTable {
  /** The numbering scope: the company unit's id. */
  scope: string;
  /** The local day in the company's time zone, YYYYMMDD. */
  day: string;
  last: number;
}

export interface TicketTable {
  id: string;
  /** Human-readable, e.g. A-20261125-0001. */
  number: string;
  type: 'inquiry' | 'complaint' | 'repair' | 'request' | 'suggestion' | 'praise' | 'incident';
  channel: 'phone' | 'walk_in' | 'email' | 'web' | 'chat' | 'letter' | 'app' | 'regulator';
  subject: string;
  description: string;
  customer_id: string | null;
  customer_name: string | null;
  customer_phone: string | null;
  category_id: string | null;
  /** 0 low, 1 normal, 2 high, 3 urgent: an integer so that it sorts. */
  priority: number;
  /** Complaints only: 1 一类 (most serious), 2 二类, 3 三类. */
  severity: number | null;
  /** JSON array of strings. */
  tags: string;
  org_unit_id: string;
  department_id: string | null;
  assignee_id: string | null;
  status: 'new' | 'assigned' | 'in_progress' | 'waiting_customer' | 'waiting_department' | 'resolved' | 'awaiting_callback' | 'closed';
  /** The deadline of the current phase (the callback's now; the resolution limit once SLAs land); null when none. */
  due_at: string | null;
  first_response_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  close_reason: string | null;
  reopen_count: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  /** The routing rule (分流规则) that matched at intake; null when none did (or the rule was deleted). */
  routing_rule_id: string | null;
  /** The highest manual escalation (升级) level reached; never lowered. */
  escalation_level: 'shift_lead' | 'duty_manager' | 'department_manager' | null;
  /** The service-time policy (服务时限策略) that applies; null when none matched. */
  sla_policy_id: string | null;
  /** JSON object { key: value } of the custom fields 自定义字段 (0009). */
  custom_fields: string;
  /** The survivor this duplicate was merged into (合并); null when never merged. */
  merged_into_id: string | null;
}

export interface TicketEventTable {
  id: string;
  ticket_id: string;
  seq: number;
  at: string;
  actor_id: string | null;
  actor_name: string;
  kind: string;
  /** JSON object. */
  data: string;
}

export interface TicketMessageTable {
  id: string;
  ticket_id: string;
  kind: 'reply' | 'note';
  body: string;
  author_id: string | null;
  author_name: string;
  created_at: string;
}

export interface CallbackTable {
  id: string;
  ticket_id: string;
  due_at: string;
  attempts: number;
  max_attempts: number;
  status: 'pending' | 'done' | 'unreachable' | 'cancelled';
  /** JSON: { attempts: [{at, by, note}], reached?, solved?, satisfaction?, comment? }. */
  outcome: string;
  performed_by: string | null;
  performed_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  ticket_id: string | null;
  kind: string;
  /** Plain text, never HTML. */
  text: string;
  created_at: string;
  read_at: string | null;
}

export interface SavedFilterTable {
  id: string;
  owner_id: string;
  name: string;
  /** JSON text: the queues' allow-listed filter (ticketFilterQuery). */
  query: string;
  department_id: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface RoutingRuleTable {
  id: string;
  /** The company (or group) whose work orders the rule routes; rules of the nearest unit come first. */
  org_unit_id: string;
  /** Order within the unit: the first matching rule wins. Ties (concurrent creates) fall back to the id. */
  position: number;
  name: string;
  enabled: number;
  /** JSON: RoutingConditions (contracts/tickets.ts). */
  conditions: string;
  /** JSON: RoutingActions. */
  actions: string;
  /** Round-robin state: the last person this rule assigned to. Not an edit: the version stays. */
  rr_last_user_id: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TicketTransferTable {
  id: string;
  ticket_id: string;
  /** The unit that keeps the case (the work order's owning unit). */
  from_unit_id: string;
  to_department_id: string;
  reason: string;
  time_limit_minutes: number;
  due_at: string;
  status: 'open' | 'answered' | 'cancelled';
  answer: string | null;
  answered_by: string | null;
  answered_at: string | null;
  cancelled_by: string | null;
  cancelled_at: string | null;
  routing_rule_id: string | null;
  created_by: string | null;
  created_at: string;
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
  customers: CustomerTable;
  customer_identifiers: CustomerIdentifierTable;
  customer_readings: CustomerReadingTable;
  care_rules: CareRuleTable;
  care_tasks: CareTaskTable;
  ticket_categories: TicketCategoryTable;
  ticket_counters: TicketCounterTable;
  tickets: TicketTable;
  ticket_events: TicketEventTable;
  ticket_messages: TicketMessageTable;
  callbacks: CallbackTable;
  notifications: NotificationTable;
  saved_filters: SavedFilterTable;
  routing_rules: RoutingRuleTable;
  ticket_transfers: TicketTransferTable;
  working_calendars: WorkingCalendarTable;
  ticket_resolutions: TicketResolutionTable;
  compensations: CompensationTable;
  capas: CapaTable;
  capa_tickets: CapaTicketTable;
  sla_policies: SlaPolicyTable;
  sla_clocks: SlaClockTable;
  ticket_attachments: TicketAttachmentTable;
  ticket_field_definitions: TicketFieldDefinitionTable;
  ticket_watchers: TicketWatcherTable;
  jobs: JobTable;
  notification_settings: NotificationSettingsTable;
  notification_preferences: NotificationPreferenceTable;
  email_outbox: EmailOutboxTable;
  ticket_links: TicketLinkTable;
  rating_links: RatingLinkTable;
}


/** A unit's own working calendar (工作日历); JSON columns hold 'HH:MM-HH:MM' lists and 'YYYY-MM-DD' dates. */
export interface WorkingCalendarTable {
  id: string;
  org_unit_id: string;
  time_zone: string;
  /** JSON: seven lists of 'HH:MM-HH:MM', index 0 = Sunday. */
  week: string;
  /** JSON list of 'HH:MM-HH:MM', or null (Monday's hours). */
  make_up_day_hours: string | null;
  holiday_set: 'china_official' | 'none';
  /** JSON list of dates off beyond the holiday set. */
  extra_holidays: string;
  /** JSON list of make-up working days beyond the holiday set. */
  extra_workdays: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/** A work order's resolution (处理结果); the latest one counts. status: approved | pending_approval | rejected. */
export interface TicketResolutionTable {
  id: string;
  ticket_id: string;
  summary: string;
  root_cause: string;
  status: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A compensation granted with a resolution (补偿), in fen. status: approved | pending_approval | rejected. */
export interface CompensationTable {
  id: string;
  resolution_id: string;
  ticket_id: string;
  position: number;
  kind: string;
  amount_fen: number;
  note: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  created_at: string;
}

/** A corrective or preventive action (纠正预防措施). status: open | done | verified; due_date 'YYYY-MM-DD'. */
export interface CapaTable {
  id: string;
  org_unit_id: string;
  title: string;
  description: string;
  kind: string;
  owner_id: string;
  due_date: string;
  status: string;
  verification_result: string | null;
  verification_note: string | null;
  verified_by: string | null;
  verified_at: string | null;
  completed_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface CapaTicketTable {
  capa_id: string;
  ticket_id: string;
  created_at: string;
}

/** A link between two work orders (关联工单), made on `ticket_id`; kind: related | caused_by | follow_up. */
export interface TicketLinkTable {
  id: string;
  ticket_id: string;
  other_id: string;
  kind: string;
  created_by: string | null;
  created_at: string;
}

/** A customer's one-use rating link (满意度评价链接) for a callback; only the token's SHA-256 is kept. */
export interface RatingLinkTable {
  id: string;
  callback_id: string;
  ticket_id: string;
  token_hash: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  created_by: string | null;
  created_at: string;
}

/**
 * A durable job (后台任务, 0011_jobs.ts). status: queued | running | done | failed. payload is JSON
 * text (ids, never personal data); a running job is leased to `locked_by` until `locked_until`.
 */
export interface NotificationSettingsTable {
  user_id: string;
  /** zh_en | zh | en */
  email_lang: string;
  version: number;
  updated_at: string;
}
export interface NotificationPreferenceTable {
  user_id: string;
  kind: string;
  in_app: number;
  email: number;
}
export interface EmailOutboxTable {
  id: string;
  user_id: string;
  kind: string;
  ticket_id: string | null;
  to_address: string;
  /** One line: CR/LF and other control characters removed. */
  subject: string;
  /** Plain text with the work order's link. */
  body: string;
  /** `<id@host>`, the same on every attempt: a duplicate delivery is recognisable. */
  message_id: string;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}
export interface JobTable {
  id: string;
  kind: string;
  payload: string;
  dedupe_key: string | null;
  run_at: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** A custom field 自定义字段 of the work orders of one type, defined by a company or the group (0009). */
export interface TicketFieldDefinitionTable {
  id: string;
  org_unit_id: string;
  ticket_type: TicketTable['type'];
  /** a-z0-9_; fixed once a work order stores a value under it. */
  key: string;
  label_zh: string;
  label_en: string;
  kind: 'text' | 'number' | 'date' | 'select' | 'multi_select' | 'checkbox';
  /** JSON: { maxLength?, min?, max?, options?: [{ value, zh, en }] }. */
  config: string;
  required: number;
  position: number;
  enabled: number;
  created_at: string;
  updated_at: string;
  version: number;
}

/** Someone who follows a work order 关注人 and is told of replies and status changes (0009). */
export interface TicketWatcherTable {
  ticket_id: string;
  user_id: string;
  added_by: string | null;
  created_at: string;
}

/** A file attached to a work order (附件); the bytes are in the AttachmentStore under storage_key. */
export interface TicketAttachmentTable {
  id: string;
  ticket_id: string;
  name: string;
  size: number;
  sha256: string;
  /** Detected from the bytes, never the uploader's claim. */
  content_type: string;
  storage_key: string;
  uploaded_by: string | null;
  uploaded_by_name: string;
  created_at: string;
}

export interface SlaPolicyTable {
  id: string;
  org_unit_id: string;
  position: number;
  name: string;
  enabled: number;
  /** JSON: SlaConditions (contracts/sla.ts). */
  conditions: string;
  /** JSON: SlaTargets. */
  targets: string;
  /** JSON: SlaEscalation. */
  escalation: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface SlaClockTable {
  id: string;
  ticket_id: string;
  policy_id: string | null;
  target: 'firstResponse' | 'resolution';
  /** 0, then one more at every reopen (a new resolution target). */
  cycle: number;
  mode: 'working' | 'calendar';
  target_ms: number;
  /** Time used before the running segment. */
  consumed_ms: number;
  /** Start of the running segment; null while paused or stopped. */
  segment_start: string | null;
  due_at: string | null;
  warn_at: string | null;
  state: 'running' | 'paused' | 'met' | 'breached' | 'cancelled';
  /** JSON: the escalation plan copied from the policy when the clock started. */
  plan: string;
  last_stage: string | null;
  next_stage: string | null;
  /** When the sweep must look at this clock next; null when nothing is pending. */
  next_check_at: string | null;
  stopped_at: string | null;
  breached_at: string | null;
  /** The work order's status when the target was breached (the breach's cause in reports). */
  breach_status: string | null;
  calendar_unit_id: string;
  created_at: string;
  updated_at: string;
}

/** A care rule 关怀规则 (0015_customer_care.ts). */
export interface CareRuleTable {
  id: string;
  org_unit_id: string;
  name: string;
  occasion: string;
  festival: string | null;
  days_min: number;
  days_max: number;
  tiers: string;
  categories: string;
  tags: string;
  channel: string;
  template: string;
  gift_value: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** A care task 关怀任务: one per customer per occasion per year (0015_customer_care.ts). */
export interface CareTaskTable {
  id: string;
  rule_id: string;
  customer_id: string;
  year: number;
  occasion: string;
  occasion_date: string;
  window_start: string;
  window_end: string;
  channel: string;
  message: string;
  gift_value: number;
  status: string;
  done_at: string | null;
  done_by: string | null;
  created_at: string;
  version: number;
}
