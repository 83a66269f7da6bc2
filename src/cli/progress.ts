import { SingleBar } from 'cli-progress';

export interface BatchProgress {
  total: number;
  sent: number;
  failed: number;
  skipped: number;
  pending: number;
}

/** A progress bar on stderr when it is a terminal; plain periodic lines otherwise (CI logs, pipes). */
export function progressReporter(label: string, total: number) {
  const interactive = Boolean(process.stderr.isTTY);
  const bar = interactive
    ? new SingleBar({
        format: `${label} [{bar}] {percentage}% | {value}/{total} | sent {sent} failed {failed} skipped {skipped}`,
        stream: process.stderr,
        hideCursor: true,
      })
    : undefined;
  bar?.start(total, 0, { sent: 0, failed: 0, skipped: 0 });
  let lastLine = 0;
  return {
    update(progress: BatchProgress) {
      const done = progress.sent + progress.failed + progress.skipped;
      if (bar) bar.update(done, progress);
      else if (Date.now() - lastLine > 2000 || done === total) {
        lastLine = Date.now();
        process.stderr.write(
          `${label}: ${done}/${total} (sent ${progress.sent}, failed ${progress.failed}, skipped ${progress.skipped})\n`,
        );
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Progress of a run whose size is known once it has started: `done` of `total`, same bar or lines. */
export function runProgressReporter(label: string) {
  const interactive = Boolean(process.stderr.isTTY);
  const bar = interactive
    ? new SingleBar({
        format: `${label} [{bar}] {percentage}% | {value}/{total}`,
        stream: process.stderr,
        hideCursor: true,
      })
    : undefined;
  let started = false;
  let lastLine = 0;
  return {
    update(done: number, total: number) {
      if (bar) {
        if (!started) bar.start(total, done);
        else bar.update(done);
        bar.setTotal(total);
      } else if (Date.now() - lastLine > 2000 || done === total) {
        lastLine = Date.now();
        process.stderr.write(`${label}: ${done}/${total}\n`);
      }
      started = true;
    },
    stop() {
      if (started) bar?.stop();
    },
  };
}
