import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../endpoints.ts';
import { useNotify } from './errors.tsx';

export interface CursorList<T> {
  items: T[];
  loading: boolean;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/**
 * A list read page by page: the first page again whenever `filter` changes (an answer to an older
 * request is dropped), the next one by `loadMore`. `fetchPage` is a function made once (module level).
 */
export function useCursorList<T, F>(fetchPage: (filter: F, cursor?: string) => Promise<Page<T>>, filter: F): CursorList<T> {
  const notify = useNotify();
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);

  /** The first page for the filter, or the next page after `after`. */
  const load = useCallback(
    async (f: F, after?: string) => {
      const mine = ++seq.current;
      setLoading(true);
      try {
        const page = await fetchPage(f, after);
        if (mine !== seq.current) return;
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (err) {
        notify.fail(err);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    },
    [fetchPage, notify],
  );
  useEffect(() => void load(filter), [load, filter]);

  return {
    items,
    loading,
    hasMore: !!cursor,
    loadMore: () => void load(filter, cursor ?? undefined),
    reload: () => void load(filter),
  };
}
