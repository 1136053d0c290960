/**
 * @module The stretches of a text a triggered recognizer needs to see: around every trigger match,
 * widened to whitespace on both sides (so a value, which never spans whitespace at its edges, is
 * whole inside, and a regex's look-behind sees the same whitespace it would in the full text),
 * merged where they touch.
 */
import type { Trigger } from './recognizer.js';

/** [start, end) pairs in text order; one pair for the whole text when the stretches cover most of it. */
export function triggerWindows(text: string, trigger: Trigger): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const re = trigger.pattern;
  re.lastIndex = 0;
  let covered = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) re.lastIndex++;
    const last = out[out.length - 1];
    const floor = last ? last[1] : 0;
    let start = Math.max(0, m.index - trigger.before);
    let end = Math.min(text.length, m.index + m[0].length + trigger.after);
    // Every character is walked over at most once by the widening below, so a text that is one
    // long token ("1111…") stays linear: a window never widens back past the previous one, and a
    // trigger inside a window already widened to whitespace adds nothing.
    if (last && end <= last[1]) continue;
    while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
    if (last && start <= last[1]) {
      covered += end - last[1];
      last[1] = end;
      continue;
    }
    while (start > floor && !isSpace(text.charCodeAt(start - 1))) start--;
    if (last && start <= last[1]) {
      covered += end - last[1];
      last[1] = end;
      continue;
    }
    out.push([start, end]);
    covered += end - start;
  }
  // Slicing costs more than it saves once most of the text is in windows.
  if (covered > text.length * 0.7) return out.length === 0 ? [] : [[0, text.length]];
  return out;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13 || code === 12 || code === 0xa0 || code === 0x2028 || code === 0x3000;
}
