import { useEffect, useRef } from 'react';
import type { LiveEvent } from '../contracts/queues.ts';

/**
 * The console's one EventSource on GET /api/events (Server-Sent Events), shared by every component
 * that listens: opened with the first listener, closed with the last. The browser reconnects by
 * itself (the server ends a stream every 15 minutes and at shutdown); a 401/429 answer closes it for
 * good until the next listener (e.g. after signing in again). A `ready` event other than a
 * connection's very first tells listeners that events may have been missed: they reload.
 */
type Listener = (e: LiveEvent) => void;
const listeners = new Set<Listener>();
let source: EventSource | null = null;

function connect(): void {
  if (source || typeof EventSource === 'undefined') return;
  const es = new EventSource('/api/events');
  let first = true;
  es.onmessage = (m) => {
    let e: LiveEvent;
    try {
      e = JSON.parse(m.data as string) as LiveEvent;
    } catch {
      return;
    }
    // 'ready' after the first one means events may have been missed (a reconnect): listeners resync.
    if (e.type === 'ready' && first) {
      first = false;
      return;
    }
    for (const l of [...listeners]) l(e);
  };
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED && source === es) source = null;
  };
  source = es;
}

export function subscribeLive(l: Listener): () => void {
  listeners.add(l);
  connect();
  return () => {
    listeners.delete(l);
    if (listeners.size === 0 && source) {
      source.close();
      source = null;
    }
  };
}

/** Calls `fn` (the latest one given) for live events that `pred` accepts, at most once per `waitMs`. */
export function useLive(pred: (e: LiveEvent) => boolean, fn: () => void, waitMs = 400): void {
  const latest = useRef({ pred, fn });
  latest.current = { pred, fn };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = subscribeLive((e) => {
      if (!latest.current.pred(e) || timer) return;
      timer = setTimeout(() => {
        timer = null;
        latest.current.fn();
      }, waitMs);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [waitMs]);
}
