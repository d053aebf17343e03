import { useCallback, useEffect, useState } from 'react';

/**
 * Data loaded whole (only when `enabled`), with the loading flag, the last failure and `reload`.
 * `load` is a function made once (an endpoint), not one made at each render.
 */
export function useLoaded<T>(load: () => Promise<T>, initial: T, enabled = true) {
  const [data, setData] = useState<T>(initial);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(async () => {
    if (!enabled) return;
    setLoading(true);
    try {
      setData(await load());
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, [load, enabled]);
  useEffect(() => void reload(), [reload]);
  return { data, loading, error, reload };
}
