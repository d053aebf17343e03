// Child-process entry: starts one target, reports its URL to the parent, stops on 'stop' or when the parent goes away.
// Run as `node bin/run-ts.js bench/lib/target-process.ts '<TargetSpec JSON>'` by Target in spawn.ts.
import { startTarget, type TargetSpec } from './targets.ts';

if (!process.send) throw new Error('target-process.ts must be started by Target (spawn.ts) (it needs an IPC channel)');
const send = process.send.bind(process);

const spec = JSON.parse(process.argv[2] ?? '') as TargetSpec;
try {
  const target = await startTarget(spec);
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= target
      .stop()
      .catch((err: unknown) => console.error('target stop failed:', err))
      .finally(() => process.exit(0)));
  process.on('message', (m) => {
    if (m === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  send({ url: target.url });
} catch (err) {
  send({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
}
