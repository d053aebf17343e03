/** A progress bar on a terminal, plain lines otherwise (CI logs, pipes). */
export function progress(label: string, total: number, out: NodeJS.WriteStream = process.stderr) {
  let done = 0;
  let lastLine = -1;
  const tty = out.isTTY === true;
  const render = () => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (tty) {
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      out.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% (${done}/${total})`);
    } else if (pct >= lastLine + 25 || done === total) {
      lastLine = pct;
      out.write(`${label}: ${done}/${total} (${pct}%)\n`);
    }
  };
  return {
    tick(n = 1) {
      done = Math.min(total, done + n);
      render();
    },
    set(n: number) {
      done = Math.min(total, Math.max(0, n));
      render();
    },
    end() {
      if (done === total && !tty) return;
      done = total;
      render();
      if (tty) out.write('\n');
    },
  };
}
