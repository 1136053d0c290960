/**
 * @module Run progress on the terminal: a redrawn bar with docs/s, MB/s and ETA on a TTY, plain
 * log lines every few seconds otherwise (CI, pipes), so logs stay readable.
 */
import type { RunProgress } from '../pipeline/index.js';

const LINE_INTERVAL_MS = 5000;

export function createProgressPrinter(opts: { stream: NodeJS.WriteStream; tty: boolean }): {
  update(p: RunProgress): void;
  done(): void;
} {
  let lastLineAt = 0;
  let drawn = false;
  const describe = (p: RunProgress) => {
    const s = Math.max(p.elapsedMs, 1) / 1000;
    const mb = p.bytesRead / 1e6;
    const parts = [`${p.docsRead} docs read`, `${p.docsWritten} written`, `${(p.docsRead / s).toFixed(0)} docs/s`, `${(mb / s).toFixed(2)} MB/s`];
    let bar = '';
    if (p.totalBytes) {
      const frac = Math.min(1, p.bytesRead / p.totalBytes);
      const etaS = frac > 0 ? (s / frac) * (1 - frac) : 0;
      const width = 24;
      const filled = Math.round(frac * width);
      bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0)}% `;
      parts.push(`ETA ${formatSeconds(etaS)}`);
    }
    return bar + parts.join(' · ');
  };
  return {
    update(p) {
      if (opts.tty) {
        opts.stream.write(`\r\x1b[2K${describe(p)}`);
        drawn = true;
      } else if (p.elapsedMs - lastLineAt >= LINE_INTERVAL_MS) {
        lastLineAt = p.elapsedMs;
        opts.stream.write(`progress ${describe(p)}\n`);
      }
    },
    done() {
      if (drawn) opts.stream.write('\n');
    },
  };
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${Math.round(s % 60)}s` : `${Math.floor(m / 60)}h${m % 60}m`;
}

/** The progress printer for a command: on stderr, a bar on a terminal, plain lines under CI or a pipe. */
export function createStderrProgress(): ReturnType<typeof createProgressPrinter> {
  return createProgressPrinter({ stream: process.stderr, tty: Boolean(process.stderr.isTTY) && !process.env.CI });
}
