/**
 * @module A human-readable logger for the terminal: one line per entry on stderr, `key=value`
 * fields after the message. Warnings and errors always print; info only with `--verbose`.
 */
import type { Logger } from '../common/index.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createConsoleLogger(opts: { level: Level; bindings?: Record<string, unknown> }): Logger {
  const bindings = opts.bindings ?? {};
  const log = (level: Level) => (obj: object | string, msg?: string) => {
    if (ORDER[level] < ORDER[opts.level]) return;
    const fields = typeof obj === 'string' ? {} : obj;
    const text = typeof obj === 'string' ? obj : (msg ?? '');
    const kv = Object.entries({ ...bindings, ...fields })
      .filter(([k]) => k !== 'component' && k !== 'stage')
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : v instanceof Error ? (v.stack ?? v.message) : JSON.stringify(v)}`)
      .join(' ');
    process.stderr.write(`${level.padEnd(5)} ${text}${kv ? `  ${kv}` : ''}\n`);
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (b) => createConsoleLogger({ level: opts.level, bindings: { ...bindings, ...b } }),
  };
}
