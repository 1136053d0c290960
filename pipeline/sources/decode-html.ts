/**
 * @module Bytes of a fetched page to a JS string: charset from the Content-Type header, else a
 * `<meta charset>` in the first KB, else UTF-8. Invalid bytes become U+FFFD rather than an error,
 * as browsers do (WHATWG Encoding), so one bad byte never costs the page.
 */

import { TextDecoder } from 'node:util';

const META_CHARSET = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i;

/** The charset label named by a Content-Type header value, if any. */
export function charsetFromContentType(contentType: string | undefined | null): string | undefined {
  const m = contentType ? /charset\s*=\s*"?([\w-]+)/i.exec(contentType) : null;
  return m?.[1]?.toLowerCase();
}

/** Decodes page bytes; reports whether replacement characters had to be inserted. */
export function decodeHtml(bytes: Uint8Array, contentType?: string | null): { html: string; invalidBytes: boolean } {
  let label = charsetFromContentType(contentType);
  if (!label) {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
    label = META_CHARSET.exec(head)?.[1]?.toLowerCase();
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label ?? 'utf-8');
  } catch {
    // An unknown label: fall back to UTF-8 as browsers do for unsupported encodings.
    decoder = new TextDecoder('utf-8');
  }
  if (decoder.encoding === 'windows-1252') return { html: decodeWindows1252(bytes), invalidBytes: false };
  const html = decoder.decode(bytes);
  return { html, invalidBytes: decoder.encoding === 'utf-8' && html.includes('\uFFFD') };
}

// WHATWG maps 0x80–0x9F of windows-1252 (which every "latin1"/"iso-8859-1" label means on the web)
// to typographic characters; Node 20's decoder returns C1 controls there instead.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (ch) => CP1252_HIGH[ch.charCodeAt(0) - 0x80] ?? ch);
}
