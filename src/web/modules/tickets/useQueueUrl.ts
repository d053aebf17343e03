import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { TicketQueue } from '../../../contracts/tickets.ts';
import { queues } from './model.ts';
import { filterFromParams, paramsFromFilter, tabFromParams, type QueueQuery } from './queueFilter.ts';

type Tab = TicketQueue | 'all';
const read = (search: string) => {
  const p = new URLSearchParams(search);
  return { queue: tabFromParams(p, queues), filter: filterFromParams(p) };
};

/**
 * The queue tab and filter, kept in the URL (a link or a reload shows the same orders). The page
 * shows a change at once; the address follows (the router applies it a moment later, so the URLs
 * this hook wrote itself are not read back — only one changed from outside: back, a link).
 */
export function useQueueUrl(): { queue: Tab; filter: QueueQuery; set: (filter: QueueQuery, queue?: string) => void } {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const [state, setState] = useState(() => read(search));
  const written = useRef<string[]>([]);
  useEffect(() => {
    const i = written.current.indexOf(search);
    if (i >= 0) written.current.splice(0, i + 1);
    else {
      written.current = [];
      setState(read(search));
    }
  }, [search]);
  const { queue } = state;
  const set = useCallback(
    (filter: QueueQuery, tab: string = queue) => {
      const next = paramsFromFilter((queues as string[]).includes(tab) || tab === 'all' ? (tab as Tab) : 'all', filter);
      const s = new URLSearchParams(next).toString();
      written.current.push(s);
      setState(read(s));
      setParams(next);
    },
    [queue, setParams],
  );
  return { ...state, set };
}
