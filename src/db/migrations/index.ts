import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_platform.ts';
import * as m0002 from './0002_tickets.ts';
import * as m0003 from './0003_routing.ts';
import * as m0004 from './0004_calendars.ts';
import * as m0005 from './0005_resolution.ts';

/** Append-only list. A new migration is a new file added at the end; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
  '0002_tickets': m0002,
  '0003_routing': m0003,
  '0004_calendars': m0004,
  '0005_resolution': m0005,
};
