import type { Db, Dialect } from '../../db/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { SessionPolicy } from '../modules/auth/auth.service.ts';
import type { AuditSealer } from '../modules/audit/audit.sealer.ts';

/** The running system's parts, built once by main.ts (or a test) and handed to the HTTP app. */
export interface Kefu {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  log: Logger;
  config: Config;
  sessionPolicy: SessionPolicy;
  sealer: AuditSealer;
}
