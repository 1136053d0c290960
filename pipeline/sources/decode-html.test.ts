import { describe, expect, it } from 'vitest';
import { decodeHtml } from './decode-html.js';

describe('decodeHtml', () => {
  it('uses the Content-Type charset', () => {
    const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // "café" in latin-1
    expect(decodeHtml(bytes, 'text/html; charset=ISO-8859-1').html).toBe('café');
  });

  it('falls back to a <meta charset> in the head', () => {
    const bytes = Buffer.concat([Buffer.from('<meta charset="windows-1252"><p>'), Buffer.from([0x93, 0x68, 0x69, 0x94])]);
    expect(decodeHtml(bytes).html).toBe('<meta charset="windows-1252"><p>\u201chi\u201d');
  });

  it('replaces invalid UTF-8 bytes instead of failing, and says so', () => {
    const bytes = Buffer.from([0x3c, 0x70, 0x3e, 0x61, 0xff, 0xfe, 0x62]);
    const r = decodeHtml(bytes, 'text/html; charset=utf-8');
    expect(r.html).toBe('<p>a\uFFFD\uFFFDb');
    expect(r.invalidBytes).toBe(true);
  });

  it('treats an unknown charset label as UTF-8', () => {
    expect(decodeHtml(Buffer.from('ok'), 'text/html; charset=x-made-up').html).toBe('ok');
  });
});
