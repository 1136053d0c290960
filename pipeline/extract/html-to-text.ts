/**
 * @module HTML to plain text with the block structure kept: one blank line between paragraphs,
 * headings and list items, a newline for `<br>`, whitespace collapsed inside blocks. One
 * htmlparser2 pass, no DOM, so it is cheap on the article HTML Readability returns and on whole
 * pages when Readability gives up.
 */
import { Parser } from 'htmlparser2';

const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tr',
  'td',
  'th',
  'ul',
  'body',
  'html',
]);

/** Elements whose content is never text a reader sees. */
const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'head', 'select', 'button', 'object', 'canvas', 'math']);

/** Figure captions and credits: part of the page, rarely of the article's text. */
const CAPTIONS = new Set(['figcaption', 'figure']);

/** Boilerplate containers skipped by `htmlToText(html, { skipBoilerplate: true })` (the fallback). */
const BOILERPLATE = new Set(['nav', 'footer', 'header', 'aside', 'form', 'menu']);

/** Plain text of `html`, paragraphs separated by a blank line. */
export function htmlToText(html: string, opts: { skipBoilerplate?: boolean; skipCaptions?: boolean; skipClass?: RegExp } = {}): string {
  const blocks: string[] = [];
  let current = '';
  let skipDepth = 0;
  const skipStack: string[] = [];
  const flush = () => {
    const t = current.replace(/[ \t\r\n\f\u00a0]+/g, ' ').trim();
    if (t) blocks.push(t);
    current = '';
  };
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (skipDepth > 0) {
          if (name === skipStack[skipStack.length - 1]) skipDepth++;
          return;
        }
        if (
          INVISIBLE.has(name) ||
          (opts.skipBoilerplate && BOILERPLATE.has(name)) ||
          (opts.skipCaptions && CAPTIONS.has(name)) ||
          (opts.skipClass && opts.skipClass.test(`${attribs.class ?? ''} ${attribs.id ?? ''}`))
        ) {
          skipStack.push(name);
          skipDepth = 1;
          return;
        }
        if (BLOCK.has(name)) flush();
        else if (name === 'br') current += '\n';
      },
      ontext(text) {
        if (skipDepth === 0) current += text;
      },
      onclosetag(name) {
        if (skipDepth > 0) {
          if (name === skipStack[skipStack.length - 1]) {
            skipDepth--;
            if (skipDepth === 0) skipStack.pop();
          }
          return;
        }
        if (BLOCK.has(name)) flush();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  flush();
  return blocks.join('\n\n');
}
