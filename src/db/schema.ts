
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
  /** Re-verification 定期核定 (0019): the next date (YYYY-MM-DD) and the file's period in months (default 3). */
  next_verification_on?: string | null;
  verification_months?: number;
  /** Destroyed 销毁 (0016): the row is a tombstone, every personal column emptied. */
  destroyed_at?: string | null;
  /** Merge 合并 (0020): a merged-away file points at its survivor. */
  merged_into_id?: string | null;
  merged_at?: string | null;
  /** The normalised name duplicate detection groups by (contracts/customer-merge.ts nameKey); kept by customerRepository. */
  name_key?: string | null;
  /** Custom fields 自定义字段 (0026): JSON { key: value } under the definitions of the form 'customer'. */
  custom_fields?: string;
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
  /** The access request 申请查阅 the file was opened under (0019), else null. */
  access_request_id?: string | null;
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
  customer_duplicate_dismissals: CustomerDuplicateDismissalTable;
  customer_merges: CustomerMergeTable;
  customer_imports: CustomerImportTable;
  customer_import_errors: CustomerImportErrorTable;
  customer_destructions: CustomerDestructionTable;
  customer_destruction_steps: CustomerDestructionStepTable;
  customer_access_requests: CustomerAccessRequestTable;
  customer_verifications: CustomerVerificationTable;
  care_rules: CareRuleTable;
  care_tasks: CareTaskTable;
  customer_messages: CustomerMessageTable;
  care_gifts: CareGiftTable;
  customer_events: CustomerEventTable;
  customer_event_invitees: CustomerEventInviteeTable;
  customer_contacts: CustomerContactTable;
  customer_notes: CustomerNoteTable;
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
  surveys: SurveyTable;
  survey_invitations: SurveyInvitationTable;
  survey_answers: SurveyAnswerTable;
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
  /** The form: a work-order type, or 'customer' for the customer file (0026). */
  ticket_type: TicketTable['type'] | 'customer';
  /** a-z0-9_; fixed once a work order (or customer file) stores a value under it. */
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

/** A message to a customer 客户消息 (outbox; 0022_outreach.ts). */
export interface CustomerMessageTable {
  id: string;
  customer_id: string;
  org_unit_id: string;
  channel: string;
  recipient: string | null;
  subject: string | null;
  body: string;
  /** queued → sent / failed / recorded */
  status: string;
  attempts: number;
  last_error: string | null;
  provider: string | null;
  provider_ref: string | null;
  source_kind: string;
  source_id: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  erased_at: string | null;
}

/** A gift given with a care task 关怀礼品 (0022_outreach.ts). */
export interface CareGiftTable {
  id: string;
  task_id: string;
  customer_id: string;
  org_unit_id: string;
  value: number;
  description: string | null;
  given_by: string | null;
  given_at: string;
}

/** An event 活动 (沙龙、座谈会…) customers are invited to (0022_outreach.ts). */
export interface CustomerEventTable {
  id: string;
  org_unit_id: string;
  title: string;
  kind: string;
  starts_at: string;
  ends_at: string;
  place: string;
  capacity: number;
  description: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** An invited customer and the reply (0022_outreach.ts). */
export interface CustomerEventInviteeTable {
  id: string;
  event_id: string;
  customer_id: string;
  reply: string;
  note: string | null;
  message_id: string | null;
  invited_by: string | null;
  invited_at: string;
  replied_by: string | null;
  replied_at: string | null;
  version: number;
}

/** An access request 申请查阅 to a customer file (0019_customer_access_verification.ts). */
export interface CustomerAccessRequestTable {
  id: string;
  customer_id: string;
  customer_unit_id: string;
  requester_id: string;
  requester_name: string;
  requester_unit_id: string;
  /** JSON list of protected sections. */
  sections: string;
  reason: string;
  days: number;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  manager_id: string | null;
  manager_name: string | null;
  manager_at: string | null;
  service_id: string | null;
  service_name: string | null;
  service_at: string | null;
  rejected_by: string | null;
  rejected_by_name: string | null;
  rejected_at: string | null;
  decision_note: string | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** A re-verification 定期核定 of a customer file (0019_customer_access_verification.ts). */
export interface CustomerVerificationTable {
  id: string;
  customer_id: string;
  org_unit_id: string;
  user_id: string | null;
  user_name: string;
  at: string;
  result: 'confirmed' | 'corrected';
  note: string | null;
  due_on: string | null;
  next_on: string;
}

/** A satisfaction survey 满意度调查 (0021_surveys.ts). */
export interface SurveyTable {
  id: string;
  org_unit_id: string;
  title: string;
  intro: string;
  /** JSON: SurveyQuestion[] (contracts/surveys.ts). */
  questions: string;
  status: 'draft' | 'open' | 'closed';
  created_by: string | null;
  created_at: string;
  updated_at: string;
  opened_at: string | null;
  closed_at: string | null;
  version: number;
}

/** One invitation per survey × customer (0021_surveys.ts); the link token is kept as its SHA-256 only. */
export interface SurveyInvitationTable {
  id: string;
  survey_id: string;
  customer_id: string;
  org_unit_id: string;
  tier: string;
  category: string;
  channel: 'sms' | 'email' | 'none';
  contact: string | null;
  token_hash: string | null;
  expires_at: string;
  status: 'pending' | 'answered';
  answered_at: string | null;
  answered_via: 'link' | 'staff' | null;
  answered_by: string | null;
  created_by: string | null;
  created_at: string;
  version: number;
}

/** One answer per question of an answered invitation (0021_surveys.ts). */
export interface SurveyAnswerTable {
  invitation_id: string;
  question_no: number;
  number_value: number | null;
  text_value: string | null;
}

/** An organisation's contact 联系人 or key person 关键人 (0023). */
export interface CustomerContactTable {
  id: string;
  customer_id: string;
  name: string;
  title: string | null;
  /** JSON list of normalised phone numbers. */
  phones: string;
  email: string | null;
  role: string;
  key_person: number;
  notes: string | null;
  person_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** A dated follow-up note 跟进记录 on a customer (0023). */
export interface CustomerNoteTable {
  id: string;
  customer_id: string;
  at: string;
  body: string;
  author_id: string | null;
  author_name: string;
  created_at: string;
}

/** A destruction request 销毁申请 of a customer file (0016_customer_destruction.ts). */
export interface CustomerDestructionTable {
  id: string;
  customer_id: string;
  org_unit_id: string;
  reason: string;
  status: 'pending' | 'rejected' | 'destroyed';
  /** 1 records officer, 2 service manager, 3 general manager; null once ended. */
  current_step: number | null;
  requested_by: string | null;
  requested_by_name: string;
  requested_at: string;
  ended_at: string | null;
  version: number;
}

/** One approval step's decision (0016). */
export interface CustomerDestructionStepTable {
  id: string;
  destruction_id: string;
  step: number;
  decision: 'approve' | 'reject';
  comment: string;
  user_id: string | null;
  user_name: string;
  at: string;
}

/** An import run 客户档案导入 (0017_customer_import.ts): the uploaded file's header, mapping, key and the last pass's outcome. */
export interface CustomerImportTable {
  id: string;
  org_unit_id: string;
  user_id: string | null;
  user_name: string;
  file_name: string;
  /** The temp file's name under `<data dir>/imports/`; null once removed. */
  file_key: string | null;
  format: 'csv' | 'xlsx';
  encoding: string;
  /** JSON lists: the header row, the suggested and the chosen mapping (field or null per column). */
  headers: string;
  suggested: string;
  mapping: string;
  import_key: string;
  mode: string | null;
  status: string;
  progress: number;
  rows_read: number;
  rows_empty: number;
  rows_ok: number;
  rows_bad: number;
  created: number;
  updated: number;
  unchanged: number;
  errors_total: number;
  /** A file-level failure: JSON { zh, en }. */
  failure: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** A row error of an import run's last pass (never the cell's value). */
export interface CustomerImportErrorTable {
  import_id: string;
  seq: number;
  line: number;
  column_name: string | null;
  field: string | null;
  code: string;
  message_zh: string;
  message_en: string;
}

/** A pair judged "not duplicates" 不是重复 (0020_customer_merge.ts); customer_a < customer_b. */
export interface CustomerDuplicateDismissalTable {
  id: string;
  org_unit_id: string;
  customer_a: string;
  customer_b: string;
  dismissed_by: string | null;
  dismissed_at: string;
}

/** One merge of a customer file into another (0020_customer_merge.ts). */
export interface CustomerMergeTable {
  id: string;
  org_unit_id: string;
  survivor_id: string;
  merged_id: string;
  merged_by: string | null;
  merged_by_name: string;
  merged_at: string;
  /** JSON {field: 'survivor' | 'merged'} for the fields whose values differed. */
  fields: string;
  /** JSON list of the relinkers that ran. */
  relinked: string;
}
