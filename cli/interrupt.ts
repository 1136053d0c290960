/**
 * @module SIGINT and SIGTERM for a long command. The first signal aborts the command's
 * AbortSignal, so it stops between two documents, closes its workers and keeps its checkpoint. If
 * the process is still alive `graceMs` later, or a second signal comes, it exits anyway with the
 * shell's code for the signal (128 + its number) after printing the hint.
 */
import { constants } from 'node:os';
import { UsageError } from './usage-error.js';

/** How long a command has to wind down after a signal before the process exits regardless. */
export const INTERRUPT_GRACE_MS = 3000;

/**
 * The grace period: `LUMORA_INTERRUPT_GRACE_MS` when set (a supervisor that can wait longer for a
 * clean stop, or a test of the forced exit), else INTERRUPT_GRACE_MS. Read here, at the edge, only.
 */
export function interruptGraceMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LUMORA_INTERRUPT_GRACE_MS;
  if (raw === undefined || raw === '') return INTERRUPT_GRACE_MS;
  const ms = Number(raw);
  if (!Number.isSafeInteger(ms) || ms < 0) throw new UsageError(`LUMORA_INTERRUPT_GRACE_MS="${raw}" is not a whole number of milliseconds >= 0`);
  return ms;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The shell's exit code for a process ended by `signal` (130 for SIGINT, 143 for SIGTERM). */
export function signalExitCode(signal: string): number {
  return 128 + (constants.signals[signal as NodeJS.Signals] ?? 15);
}

/**
 * Handles SIGINT and SIGTERM until `dispose()`. `hint(signal)` is the line printed when the
 * process has to exit without the command's own error (the grace period ran out, or a second
 * signal came): it must say what the command's own error would, since either may be the one a
 * user sees. After `dispose()` the command has reported the interruption itself, and only the
 * exit is left.
 *
 * @example
 * const interrupt = handleInterrupts({ hint: (s) => `interrupted by ${s}; run again with --resume` });
 * try {
 *   await runPipeline({ ...opts, signal: interrupt.signal });
 * } finally {
 *   interrupt.dispose();
 * }
 */
export function handleInterrupts(opts: { hint: (signal: string) => string; graceMs?: number }): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let reported = false;
  const exitNow = (signal: string) => {
    if (!reported) process.stderr.write(`lumora: ${opts.hint(signal)}\n`);
    process.exit(signalExitCode(signal));
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) exitNow(signal);
    controller.abort(signal);
    // Unref'd: it must not keep a process alive that would otherwise end, only end one that does not.
    setTimeout(() => exitNow(signal), opts.graceMs ?? INTERRUPT_GRACE_MS).unref();
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    signal: controller.signal,
    dispose() {
      reported = true;
      for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}
