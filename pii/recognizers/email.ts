/**
 * @module EMAIL_ADDRESS: RFC 5322's common subset (dot-atoms, `+` tags) with a letters-only TLD.
 * Internationalised local parts are rare in the wild and left out. Web pages are full of retina
 * image names ("logo@2x.png"): a "domain" ending in a file extension is not one.
 */
import { patternRecognizer } from '../recognizer.js';

const FILE_EXTENSION = /\.(?:png|jpe?g|gif|svg|webp|avif|bmp|ico|css|js|mjs|json|pdf|mp4|webm|woff2?)$/i;

export const emailRecognizer = patternRecognizer({
  name: 'email',
  entity: 'EMAIL_ADDRESS',
  trigger: { pattern: /@/g, before: 0, after: 0 },
  validate: (match) => !FILE_EXTENSION.test(match),
  // Domain labels may hold accented Latin letters (internationalised domains: exämple.com).
  patterns: [
    {
      regex:
        /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9\u00C0-\u024F](?:[A-Za-z0-9\u00C0-\u024F-]{0,61}[A-Za-z0-9\u00C0-\u024F])?\.)+[A-Za-z]{2,24}\b/g,
      score: 1,
    },
  ],
});
