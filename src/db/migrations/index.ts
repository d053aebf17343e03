import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_platform.ts';
import * as m0002 from './0002_tickets.ts';
import * as m0003 from './0003_routing.ts';
import * as m0004 from './0004_calendars.ts';
import * as m0005 from './0005_resolution.ts';
import * as m0006 from './0006_merge_link.ts';
import * as m0007 from './0007_attachments.ts';
import * as m0008 from './0008_saved_filters.ts';
import * as m0009 from './0009_ticket_settings.ts';
import * as m0010 from './0010_queue_indexes.ts';
import * as m0011 from './0011_jobs.ts';
import * as m0012 from './0012_sla.ts';
import * as m0013 from './0013_notification_delivery.ts';
import * as m0014 from './0014_customer_files.ts';
import * as m0015 from './0015_customer_care.ts';
import * as m0016 from './0016_customer_destruction.ts';
import * as m0017 from './0017_customer_import.ts';
import * as m0018 from './0018_customer_phone_lookup.ts';
import * as m0019 from './0019_customer_access_verification.ts';
import * as m0020 from './0020_customer_merge.ts';
import * as m0021 from './0021_surveys.ts';
import * as m0022 from './0022_outreach.ts';
import * as m0023 from './0023_customer_contacts.ts';
import * as m0026 from './0026_customer_custom_fields.ts';

/** Append-only list. A new migration is a new file added at the end; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
  '0002_tickets': m0002,
  '0003_routing': m0003,
  '0004_calendars': m0004,
  '0005_resolution': m0005,
  '0006_merge_link': m0006,
  '0007_attachments': m0007,
  '0008_saved_filters': m0008,
  '0009_ticket_settings': m0009,
  '0010_queue_indexes': m0010,
  '0011_jobs': m0011,
  '0012_sla': m0012,
  '0013_notification_delivery': m0013,
  '0014_customer_files': m0014,
  '0015_customer_care': m0015,
  '0016_customer_destruction': m0016,
  '0017_customer_import': m0017,
  '0018_customer_phone_lookup': m0018,
  '0019_customer_access_verification': m0019,
  '0020_customer_merge': m0020,
  '0021_surveys': m0021,
  '0022_outreach': m0022,
  '0023_customer_contacts': m0023,
  '0026_customer_custom_fields': m0026,
};
