import { z } from 'zod';
import { customerFileQuery, readingLogQuery } from './customers.ts';

/**
 * Exports of customer files and of the reading log 借阅记录 (CSV or XLSX): the same filters as the
 * list they come from, without paging; values masked or hidden exactly as the list and detail show
 * them to the caller; at most MAX_CUSTOMER_EXPORT_ROWS rows (more: CUSTOMER_EXPORT_TOO_LARGE).
 */
export const MAX_CUSTOMER_EXPORT_ROWS = 100_000;

export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];
export const exportFormat = z.enum(exportFormats).default('xlsx').describe('csv (UTF-8 with BOM) or xlsx');

export const customerExportQuery = customerFileQuery.omit({ cursor: true, limit: true }).extend({ format: exportFormat });
export const readingLogExportQuery = readingLogQuery.omit({ cursor: true, limit: true }).extend({ format: exportFormat });
