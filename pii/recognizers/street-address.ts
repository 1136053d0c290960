/**
 * @module STREET_ADDRESS: US and UK street lines — a house number (with a letter, "221B"), one to
 * four capitalised words and a street type ("Avenue", "St", "Terrace"), an optional direction,
 * unit ("Apt 4B", "Suite 200", "Flat 3") and, on the same line, a town with a US state and ZIP or a
 * UK postcode. PO boxes too. A house number and a street type are both required, which keeps
 * "3 Main Points" out and "42 Mill Street" in.
 */
import type { Finding } from '../finding.js';
import type { Recognizer, Trigger } from '../recognizer.js';

export const STREET_TYPES =
  'Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Ter|Way|Parkway|Pkwy|Circle|Cir|' +
  'Highway|Hwy|Kingsway|Strand|Causeway|Esplanade|Embankment|Promenade|Square|Sq|Row|Close|Crescent|Cres|Gardens|Gdns|Grove|Mews|Hill|Walk|Trail|Trl|Loop|Alley|Plaza|Heights|Park|Green|Parade|Broadway|Wharf|Quay';
/** Streets whose name has no street type. */
const NAMED_STREETS = '(?:Kingsway|Broadway|Strand|Piccadilly|Aldwych|Cheapside|Headrow|Bowery)';
const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR';
const NAME_WORD = "(?:\\p{Lu}[\\p{Ll}\\p{M}'’]+|\\d{1,3}(?:st|nd|rd|th))";
const UNIT = '(?:,?\\s(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|Room|Rm|#)\\.?\\s?#?[A-Za-z0-9-]{1,6})';
const TOWN = "(?:\\p{Lu}[\\p{Ll}\\p{M}'’.-]+(?: \\p{Lu}[\\p{Ll}\\p{M}'’.-]+){0,2})";
const US_TAIL = `(?:,\\s?${TOWN},?\\s(?:${US_STATES})(?:\\s\\d{5}(?:-\\d{4})?)?|,\\s?${TOWN},\\s?(?:${US_STATES})\\b)`;
const UK_POSTCODE = '(?:[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2})';
const UK_TAIL = `(?:,\\s?${TOWN}(?:,?\\s${UK_POSTCODE})?|,\\s?${UK_POSTCODE})`;

// UK addresses put the unit first: "Flat 4, 12 High Street".
const UNIT_FIRST = '(?:(?:Flat|Apartment|Apt|Unit|Suite|Room)\\s?[A-Za-z0-9]{1,5},?\\s)?';
const STREET = new RegExp(
  `(?<![\\w-])${UNIT_FIRST}\\d{1,6}[A-Za-z]?(?:-\\d{1,4})?\\s(?:(?:${NAME_WORD}\\s){1,4}(?:${STREET_TYPES})\\.?|${NAMED_STREETS})(?:\\s(?:NW|NE|SW|SE|N|S|E|W)\\b)?${UNIT}?(?:${US_TAIL}|${UK_TAIL})?(?![\\p{L}\\d])`,
  'gu',
);
/** A house number before a capitalised word, or "Box 12"; the town and postcode follow within a line. */
const ADDRESS_TRIGGER: Trigger = { pattern: /\d[A-Za-z]?\s(?:[A-Z]|\d{1,3}(?:st|nd|rd|th)\b)|Box\s\d/g, before: 8, after: 100 };
const PO_BOX = /\bP\.?\s?O\.?\s?Box\s\d{1,6}\b/gi;

export const streetAddressRecognizer: Recognizer = {
  name: 'street-address',
  entities: ['STREET_ADDRESS'],
  trigger: ADDRESS_TRIGGER,
  context: ['address', 'live', 'lives', 'living', 'located', 'ship', 'ship to', 'deliver', 'delivery', 'mail to', 'residence', 'home', 'resides', 'moved'],
  analyze(text) {
    if (!/\d/.test(text)) return [];
    const out: Finding[] = [];
    for (const re of [STREET, PO_BOX]) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        // "12 Main St." keeps its abbreviation's period; a comma or a sentence's full stop goes.
        const value = /\b(?:St|Ave|Rd|Dr|Blvd|Ln|Ct|Pl|Ter|Cres)\.$/.test(m[0]) ? m[0] : m[0].replace(/[.,]+$/, '');
        out.push({ type: 'STREET_ADDRESS', start: m.index, end: m.index + value.length, score: 0.7, recognizer: 'street-address' });
      }
    }
    return out;
  },
};
