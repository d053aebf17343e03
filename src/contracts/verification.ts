import { z } from 'zod';
import { id } from './api.ts';
import { customerFileUpdate, confidentialityLevel } from './customers.ts';

/**
 * Re-verification 定期核定 (customer-file issue §4): every file has its next verification date (the file's
 * period, default 3 months = a quarter, after creation or the last verification). Records officers and
 * managers (customer:manage) work through the files due (next date ≤ today in the file company's time
 * zone), confirming each unchanged or correcting it (the update of the file, same transaction); either way
 * a verification is recorded and the next date moves on by the period, counted from today.
 */
export const VERIFICATION_DEFAULT_MONTHS = 3;

export const verificationDueQuery = z.strictObject({
  orgUnitId: id.optional().describe('only files of this company'),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const verificationDue = z.object({
  customerId: id,
  name: z.string(),
  orgUnitId: id,
  orgUnitName: z.string(),
  confidentiality: confidentialityLevel,
  nextVerificationOn: z.string().nullable().describe('null: never scheduled (counts as due)'),
  verificationMonths: z.number(),
  overdueDays: z.number().describe('days past the date (0 = due today)'),
  version: z.number().describe('the file version, for a correction'),
});

const months = z.number().int().min(1).max(24).describe('change the file’s period (months)');

export const verificationConfirm = z.strictObject({
  note: z.string().trim().max(500).optional(),
  everyMonths: months.optional(),
});

export const verificationCorrect = z.strictObject({
  note: z.string().trim().max(500).optional(),
  everyMonths: months.optional(),
  /** The correction, as PATCH /api/customers/:id takes it (with the file version). */
  changes: customerFileUpdate,
});

export const verificationRecord = z.object({
  id,
  customerId: id,
  at: z.string(),
  userName: z.string(),
  result: z.enum(['confirmed', 'corrected']),
  note: z.string().nullable(),
  dueOn: z.string().nullable(),
  nextOn: z.string(),
});

export const verificationDashboardRow = z.object({
  orgUnitId: id,
  orgUnitName: z.string(),
  overdue: z.number().describe('next date before today'),
  dueToday: z.number(),
  dueThisWeek: z.number().describe('due in the next 7 days, today included'),
  total: z.number(),
});
export const verificationDashboard = z.object({ today: z.string(), rows: z.array(verificationDashboardRow) });

export type VerificationDue = z.infer<typeof verificationDue>;
export type VerificationRecord = z.infer<typeof verificationRecord>;
