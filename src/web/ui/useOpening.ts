import { useRef } from 'react';

/**
 * For a drawer or modal holding a form: the thing it was last opened for (kept while it animates
 * closed) and a key that changes at every opening, so the form inside mounts afresh each time
 * with its own initial values, even when reopened before the closing animation ended.
 */
export function useOpening<T extends object>(value: T | null): { shown: T | null; key: number } {
  const last = useRef<T | null>(null);
  const key = useRef(0);
  if (value && value !== last.current) {
    last.current = value;
    key.current += 1;
  }
  return { shown: value ?? last.current, key: key.current };
}
