import type { Db } from '../../db/database.ts';
import type { Lang } from '../../contracts/errors.ts';
import type { Actor } from './actor.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';

/** What every use case receives: who acts, where, and with which tools. */
export interface Ctx {
  actor: Actor;
  db: Db;
  clock: Clock;
  log: Logger;
  lang: Lang;
  requestId: string | null;
  ip: string | null;
  /** Called after a transaction that wrote audit entries has committed. */
  afterCommit: () => void;
}
