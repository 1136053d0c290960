/**
 * @module A small pino-compatible logger interface, passed in through options so that
 * components never reach for `console` or a global.
 */

export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** A logger that discards everything: the default for library callers and tests. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;
type Level = keyof typeof LEVELS;

/** Writes one JSON line per entry (pino's format) to a stream, at or above `level`. */
export function createJsonLogger(opts: { write: (line: string) => void; level?: Level; bindings?: Record<string, unknown>; now?: () => number }): Logger {
  const min = LEVELS[opts.level ?? 'info'];
  const now = opts.now ?? Date.now;
  const bindings = opts.bindings ?? {};
  const log = (level: Level) => (obj: object | string, msg?: string) => {
    if (LEVELS[level] < min) return;
    const fields = typeof obj === 'string' ? { msg: obj } : { ...obj, ...(msg ? { msg } : {}) };
    opts.write(JSON.stringify({ level: LEVELS[level], time: now(), ...bindings, ...fields }) + '\n');
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (b) => createJsonLogger({ ...opts, bindings: { ...bindings, ...b } }),
  };
}
