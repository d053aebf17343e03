import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { SurveyAnswerTable, SurveyInvitationTable, SurveyTable } from '../../../db/schema.ts';
import { nearScopeSql, type NearScope } from '../customers/customer.repository.ts';

export type SurveyRow = Selectable<SurveyTable>;
export type SurveyView = SurveyRow & { unit_name: string; unit_path: string; unit_time_zone: string; invited: number; answered: number };
export type InvitationRow = Selectable<SurveyInvitationTable>;
export type InvitationView = InvitationRow & {
  survey_title: string;
  survey_status: SurveyRow['status'];
  customer_name: string;
  customer_unit_id: string;
  customer_unit_name: string;
  customer_unit_path: string;
};
export type AnswerRow = Selectable<SurveyAnswerTable>;
/** The survey of a link, with what the public page shows. */
export type LinkView = InvitationRow & { survey_status: SurveyRow['status']; survey_unit_path: string; survey_unit_id: string };

const counts = (db: Tx) =>
  db
    .selectFrom('survey_invitations')
    .select(['survey_id', sql<number>`count(*)`.as('invited'), sql<number>`sum(case when status = 'answered' then 1 else 0 end)`.as('answered')])
    .groupBy('survey_id');

export const surveyRepository = {
  base(db: Tx) {
    return db
      .selectFrom('surveys as s')
      .innerJoin('org_units as u', 'u.id', 's.org_unit_id')
      .leftJoin(counts(db).as('n'), 'n.survey_id', 's.id')
      .selectAll('s')
      .select(['u.name as unit_name', 'u.path as unit_path', 'u.time_zone as unit_time_zone', sql<number>`coalesce(n.invited, 0)`.as('invited'), sql<number>`coalesce(n.answered, 0)`.as('answered')]);
  },

  async inScope(db: Tx, id: string, scope: NearScope): Promise<SurveyView | undefined> {
    return this.base(db).where('s.id', '=', id).where(nearScopeSql(sql.ref('u.path'), scope)).executeTakeFirst();
  },

  async list(db: Tx, scope: NearScope, status: string | undefined, limit: number): Promise<SurveyView[]> {
    let q = this.base(db).where(nearScopeSql(sql.ref('u.path'), scope));
    if (status) q = q.where('s.status', '=', status as SurveyRow['status']);
    return q.orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').limit(limit).execute();
  },

  async insert(db: Tx, row: SurveyRow): Promise<void> {
    await db.insertInto('surveys').values(row).execute();
  },

  async update(db: Tx, id: string, version: number, patch: Partial<SurveyRow>): Promise<boolean> {
    const r = await db.updateTable('surveys').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async delete(db: Tx, id: string): Promise<void> {
    await db.deleteFrom('surveys').where('id', '=', id).execute();
  },

  /** Inserts the invitations a customer does not have yet for the survey; returns the new ones. */
  async insertInvitations(db: Tx, rows: InvitationRow[]): Promise<InvitationRow[]> {
    const created: InvitationRow[] = [];
    for (const row of rows) {
      const r = await db
        .insertInto('survey_invitations')
        .values(row)
        .onConflict((oc) => oc.columns(['survey_id', 'customer_id']).doNothing())
        .returning('id')
        .execute();
      if (r.length === 1) created.push(row);
    }
    return created;
  },

  invitationBase(db: Tx) {
    return db
      .selectFrom('survey_invitations as i')
      .innerJoin('surveys as s', 's.id', 'i.survey_id')
      .innerJoin('customers as c', 'c.id', 'i.customer_id')
      .innerJoin('org_units as u', 'u.id', 'c.org_unit_id')
      .selectAll('i')
      .select(['s.title as survey_title', 's.status as survey_status', 'c.name as customer_name', 'c.org_unit_id as customer_unit_id', 'u.name as customer_unit_name', 'u.path as customer_unit_path']);
  },

  /** An invitation whose customer is in the scope. */
  async invitationInScope(db: Tx, id: string, scope: NearScope): Promise<InvitationView | undefined> {
    return this.invitationBase(db).where('i.id', '=', id).where(nearScopeSql(sql.ref('u.path'), scope)).executeTakeFirst();
  },

  async invitations(db: Tx, f: { scope: NearScope; surveyId?: string; customerId?: string; status?: string; limit: number }): Promise<InvitationView[]> {
    let q = this.invitationBase(db).where(nearScopeSql(sql.ref('u.path'), f.scope));
    if (f.surveyId) q = q.where('i.survey_id', '=', f.surveyId);
    if (f.customerId) q = q.where('i.customer_id', '=', f.customerId);
    if (f.status) q = q.where('i.status', '=', f.status as InvitationRow['status']);
    return q.orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(f.limit).execute();
  },

  async byTokenHash(db: Tx, hash: string): Promise<LinkView | undefined> {
    return db
      .selectFrom('survey_invitations as i')
      .innerJoin('surveys as s', 's.id', 'i.survey_id')
      .innerJoin('org_units as u', 'u.id', 's.org_unit_id')
      .selectAll('i')
      .select(['s.status as survey_status', 'u.path as survey_unit_path', 'u.id as survey_unit_id'])
      .where('i.token_hash', '=', hash)
      .executeTakeFirst();
  },

  async setToken(db: Tx, id: string, hash: string, expiresAt: string): Promise<void> {
    await db.updateTable('survey_invitations').set({ token_hash: hash, expires_at: expiresAt }).where('id', '=', id).execute();
  },

  /** Marks the invitation answered once: false when it was answered in the meantime. */
  async markAnswered(db: Tx, id: string, at: string, via: 'link' | 'staff', by: string | null): Promise<boolean> {
    const r = await db
      .updateTable('survey_invitations')
      .set((eb) => ({ status: 'answered', answered_at: at, answered_via: via, answered_by: by, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async insertAnswers(db: Tx, rows: AnswerRow[]): Promise<void> {
    if (rows.length > 0) await db.insertInto('survey_answers').values(rows).execute();
  },

  async answersOf(db: Tx, invitationId: string): Promise<AnswerRow[]> {
    return db.selectFrom('survey_answers').selectAll().where('invitation_id', '=', invitationId).orderBy('question_no').execute();
  },

  /** Every invitation of the survey with its segment snapshot (the results' denominators). */
  async resultInvitations(db: Tx, surveyId: string) {
    return db
      .selectFrom('survey_invitations as i')
      .leftJoin('org_units as u', 'u.id', 'i.org_unit_id')
      .select(['i.id', 'i.org_unit_id', 'i.tier', 'i.category', 'i.status', 'i.answered_at', 'i.created_at', 'u.name as unit_name'])
      .where('i.survey_id', '=', surveyId)
      .execute();
  },

  /** The numeric answers of the survey's answered invitations (text answers are counted, never read). */
  async resultAnswers(db: Tx, surveyId: string) {
    return db
      .selectFrom('survey_answers as a')
      .innerJoin('survey_invitations as i', 'i.id', 'a.invitation_id')
      .select(['a.invitation_id', 'a.question_no', 'a.number_value', sql<number>`case when a.text_value is null then 0 else 1 end`.as('has_text')])
      .where('i.survey_id', '=', surveyId)
      .execute();
  },

  /** Erasure: the customer's free-text answers and the contact data and link of the invitations. */
  /**
   * On a merge the invitations move to the surviving file, except where it was invited to the same survey
   * too (one invitation per survey × customer): those stay on the merged-away file and still count.
   */
  async relinkCustomer(db: Tx, fromId: string, toId: string): Promise<void> {
    await db
      .updateTable('survey_invitations')
      .set({ customer_id: toId })
      .where('customer_id', '=', fromId)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('survey_invitations as i2').select('i2.id').where('i2.customer_id', '=', toId).whereRef('i2.survey_id', '=', 'survey_invitations.survey_id'))),
      )
      .execute();
  },

  async eraseCustomer(db: Tx, customerId: string): Promise<void> {
    await db
      .updateTable('survey_answers')
      .set({ text_value: '' })
      .where('text_value', 'is not', null)
      .where('invitation_id', 'in', db.selectFrom('survey_invitations').select('id').where('customer_id', '=', customerId))
      .execute();
    await db.updateTable('survey_invitations').set({ contact: null, token_hash: null }).where('customer_id', '=', customerId).execute();
  },
};
