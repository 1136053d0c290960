/**
 * @module PERSON, LOCATION and ORGANIZATION: names found from cheap signals, not by running NLP
 * over every sentence. Candidates are runs of capitalised words (with "van", "de", "of" … inside);
 * each run is classified by its words against the lexicons:
 *   - ORGANIZATION when it ends in a legal or institutional word ("Inc.", "Hospital"), starts
 *     "University of" / "Bank of", or is an organisation the lexicon knows;
 *   - LOCATION for the longest sub-runs that are known cities, regions or countries;
 *   - PERSON when an honorific precedes it, it starts with a known given name, or it ends in a
 *     known surname; a lone given name, or a run of unknown words, needs a context word
 *     ("Dear", "contact", "name") to reach the threshold.
 * Words English uses as everyday words ("Will", "Grace", "Hope") do not start a name alone.
 */
import type { Finding } from '../finding.js';
import { CONTEXT_BOOST, CONTEXT_WINDOW_WORDS, contextWords, hasContext } from '../context.js';
import { fold, lexicons, type Lexicons } from '../lexicons.js';
import type { Recognizer } from '../recognizer.js';
import { STREET_TYPES } from './street-address.js';

interface Token {
  word: string;
  lower: string;
  start: number;
  end: number;
}

// A capitalised word: "Maria", "O'Connor", "McDonald", "Jean-Luc", "Müller", or an initial "Q.".
// A capitalised word in a Latin script: "Maria", "O'Connor", "McDonald", "Jean-Luc", "Müller",
// "Łukasz", "Ștefan", or an initial "Q."; legal forms written in capitals ("LLC", "GmbH") count as
// words so they can close a run. The classes are spelled out as code-point ranges because V8
// matches \p{Lu} ten times slower, and this regex reads every character of every text. Latin
// Extended-A and -B interleave capitals and small letters, so `tokenize` checks the first letter.
const UP = 'A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u024F';
const LOW = 'a-z\u00DF-\u00F6\u00F8-\u00FF\u0100-\u024F\u0300-\u036F';
const TOKEN = new RegExp(
  `(?:LLC|LLP|PLC|GmbH|AG|SA|NV|BV|KG|SpA|Srl|Pty|LP|INC|LTD|CORP)\\b|(?:[${UP}]['’])?[${UP}][${LOW}]+(?:[${UP}][${LOW}]+)?(?:-[${UP}]?[${LOW}]+)*(?!['’](?:t|ll|re|ve|d|m)\\b)|[${UP}]\\.(?=\\s)`,
  'g',
);
/** Lowercase words that may sit inside a name ("Ludwig van Beethoven", "Bank of England"). */
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'da', 'del', 'della', 'di', 'du', 'la', 'le', 'bin', 'ibn', 'al', 'of', 'y', 'dos', 'das', 'ter']);
const ABBREVIATIONS = new Set(['inc', 'co', 'ltd', 'corp', 'st', 'jr', 'sr', 'bros', 'mr', 'mrs', 'ms', 'dr', 'prof', 'mt', 'ft']);

const ORG_SUFFIX = new Set(
  (
    'inc corp corporation llc llp ltd limited gmbh ag sa plc co company group holdings bank university college school ' +
    'academy hospital clinic institute foundation association society agency council ministry department partners labs ' +
    'laboratories systems technologies robotics industries solutions enterprises airlines airways press trust church ' +
    'museum library authority committee commission union club federation network studios consulting capital ventures ' +
    'insurance pharmaceuticals motors logistics media services software analytics dynamics energy bureau office traders ' +
    'brands foods healthcare pharma financial bancorp electric airline communications telecom studio records publishing ' +
    'partnership llc llp plc gmbh nv bv kg spa srl pty lp'
  ).split(' '),
);
const ORG_PREFIX = new Set(
  'university bank ministry department institute college museum church council bureau office school academy federation commission board'.split(' '),
);
/** Words that make a run a heading, a date or a street, never a person. */
const NOT_A_NAME = new Set(
  (
    'street st avenue ave road rd boulevard blvd lane drive court place square park bridge river lake mountain county city ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april june july august september ' +
    'october november december the and for in on at by to a an this that our your their new north south east west ' +
    'report summary total order invoice account number service support team customer policy terms privacy'
  ).split(' '),
);
/** Given names that are everyday English words: alone or first in a sentence they are not names. */
const AMBIGUOUS_GIVEN = new Set(
  'will may june april august mark bill grant rose art hope joy faith grace page dawn summer autumn case chase lane sunny rich frank drew pat sue bob bud guy jack ray miles norm sky star chance'.split(
    ' ',
  ),
);

const PERSON_SCORE = { strong: 0.85, likely: 0.7, fair: 0.6, lone: 0.55, needsContext: 0.4, weak: 0.3 } as const;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    // Inside a longer word or code ("…Fjk1Bp5w…"): not a capitalised word. Checked here because a
    // look-behind in TOKEN would slow every match attempt.
    const prev = m.index > 0 ? text.charCodeAt(m.index - 1) : 32;
    if (
      (prev >= 48 && prev <= 57) ||
      (prev >= 65 && prev <= 90) ||
      (prev >= 97 && prev <= 122) ||
      (prev > 127 && /[\p{L}\p{N}]/u.test(text[m.index - 1] as string))
    )
      continue;
    const first = m[0][0] as string;
    if (first === first.toLowerCase()) continue;
    let end = m.index + m[0].length;
    const lower = fold(m[0]).replace(/\.$/, '');
    // "Inc." and "St." keep their period; a word ending a sentence does not.
    if (text[end] === '.' && ABBREVIATIONS.has(lower)) end++;
    tokens.push({ word: text.slice(m.index, end), lower, start: m.index, end });
  }
  return tokens;
}

/** Groups tokens into runs joined by one space, a particle, "&" or a possessive ("St. Mary's Hospital"). */
function runs(text: string, tokens: Token[]): Token[][] {
  const out: Token[][] = [];
  let run: Token[] = [];
  for (const t of tokens) {
    const prev = run[run.length - 1];
    if (prev) {
      const gap = text.slice(prev.end, t.start);
      const joins =
        gap === ' ' ||
        (gap === '. ' && /^\p{Lu}\.$/u.test(prev.word + '.')) ||
        (prev.word.endsWith('.') && gap === ' ') ||
        gap === ' & ' ||
        /^['’]s $/.test(gap) ||
        (/^ [a-z]+ $/.test(gap) && PARTICLES.has(gap.trim()) && (gap.trim() !== 'of' || ORG_PREFIX.has(prev.lower)));
      if (joins) {
        run.push(t);
        continue;
      }
      out.push(run);
    }
    run = [t];
  }
  if (run.length > 0) out.push(run);
  return out;
}

/** Names of identifiers, not of organisations. */
const LABEL_PHRASES = new Set(['national insurance', 'social security', 'national health', 'tax identification', 'passport number']);

const STREET_WORDS = new Set(STREET_TYPES.toLowerCase().split('|'));

const PLACE_PREPOSITION = /\b(?:in|at|from|to|near|via|of|our|outside|around|across)\s+$/i;

/** True when the run starts with a multi-word place or organisation the lexicons know. */
function startsKnownPhrase(tokens: Token[], lex: Lexicons): boolean {
  for (let len = Math.min(4, tokens.length); len >= 2; len--) {
    const phrase = tokens
      .slice(0, len)
      .map((t) => t.lower)
      .join(' ');
    if (lex.places.has(phrase) || lex.organizations.has(phrase)) return true;
  }
  return false;
}

function isSentenceStart(text: string, at: number): boolean {
  return /(?:^|[.!?:]\s+|\n\s*|["“(]\s*)$/.test(text.slice(Math.max(0, at - 4), at));
}

function finding(type: 'PERSON' | 'LOCATION' | 'ORGANIZATION', first: Token, last: Token, score: number): Finding {
  return { type, start: first.start, end: last.end, score, recognizer: 'names' };
}

export function createNamesRecognizer(): Recognizer {
  const lex = lexicons();
  return {
    name: 'names',
    entities: ['PERSON', 'LOCATION', 'ORGANIZATION'],
    languages: [
      'en',
      'fr',
      'es',
      'it',
      'pt',
      'nl',
      'da',
      'sv',
      'no',
      'nb',
      'fi',
      'pl',
      'cs',
      'ro',
      'hu',
      'hr',
      'sl',
      'sk',
      'et',
      'lv',
      'lt',
      'tr',
      'id',
      'ms',
      'sw',
    ],
    analyze(text) {
      const out: Finding[] = [];
      for (const run of runs(text, tokenize(text))) classify(text, run, lex, out);
      // Context words introduce people; places and organisations are scored without them. A name
      // with two strong signals (an honorific, a given name and a known surname) needs none.
      // A word no lexicon knows must follow the context word closely ("Dear Xochitl", not
      // "Regards, … Head of Sales").
      for (const f of out) {
        if (f.type !== 'PERSON' || f.score >= PERSON_SCORE.strong) continue;
        const window = f.score <= PERSON_SCORE.weak ? 2 : CONTEXT_WINDOW_WORDS;
        if (hasContext(text, f.start, PERSON_CONTEXT, window)) f.score = Math.min(1, f.score + CONTEXT_BOOST);
      }
      return out;
    },
  };
}

const PERSON_CONTEXT = contextWords([
  'name',
  'named',
  'contact',
  'dear',
  'hi',
  'hello',
  'hey',
  'by',
  'author',
  'customer',
  'patient',
  'employee',
  'signed',
  'regards',
  'attn',
  'thanks',
  'thank',
  'cc',
  'manager',
  'met',
  'spoke',
  'ask',
  'tenant',
  'applicant',
  'cardholder',
  'client',
  'user',
  'mother',
  'father',
  'wife',
  'husband',
  'son',
  'daughter',
  'colleague',
]);

function classify(text: string, run: Token[], lex: Lexicons, out: Finding[]): void {
  let tokens = run;
  // "The", "Thanks", "Please" … first in a sentence are capitalised for grammar, not as names;
  // "New Zealand" and "United Nations" start with such words and are kept.
  while (tokens.length > 0) {
    const t = tokens[0] as Token;
    if (tokens.length >= 2 && startsKnownPhrase(tokens, lex)) break;
    if (lex.honorifics.has(t.lower) || lex.given.has(t.lower) || lex.surnames.has(t.lower) || lex.places.has(t.lower) || lex.organizations.has(t.lower)) break;
    if (!(lex.commonWords.has(t.lower) || NOT_A_NAME.has(t.lower)) || ORG_SUFFIX.has(t.lower) || ORG_PREFIX.has(t.lower)) break;
    if (tokens.slice(1).some((x) => ORG_SUFFIX.has(x.lower)) && !isSentenceStart(text, t.start)) break;
    tokens = tokens.slice(1);
  }
  if (tokens.length === 0) return;
  // "60 Abbey Road": words between a house number and a street type are a street, which the
  // address recognizer reads.
  if (
    tokens.some((t) => STREET_WORDS.has(t.lower)) &&
    /\b\d{1,6}[A-Za-z]?\s$/.test(text.slice(Math.max(0, (tokens[0] as Token).start - 8), (tokens[0] as Token).start))
  )
    return;
  const words = tokens.map((t) => t.lower);
  if (LABEL_PHRASES.has(words.slice(0, 2).join(' '))) return;
  // "National Insurance number", "Social Security number": a label for a number, not a name.
  if (/^\s+(?:number|numbers|no\b)/i.test(text.slice((tokens[tokens.length - 1] as Token).end, (tokens[tokens.length - 1] as Token).end + 9))) return;

  // Organisations: a suffix word closes the name, or a prefix word opens it.
  let suffixAt = -1;
  for (let i = words.length - 1; i > 0; i--)
    if (ORG_SUFFIX.has(words[i] as string)) {
      suffixAt = i;
      break;
    }
  if (suffixAt > 0) {
    out.push(finding('ORGANIZATION', tokens[0] as Token, tokens[suffixAt] as Token, 0.75));
    return;
  }
  if (ORG_PREFIX.has(words[0] as string) && words[1] === 'of' && tokens.length >= 3) {
    out.push(finding('ORGANIZATION', tokens[0] as Token, tokens[tokens.length - 1] as Token, 0.75));
    return;
  }
  const whole = words.join(' ');
  if (lex.organizations.has(whole) || (tokens.length === 1 && lex.organizations.has(words[0] as string))) {
    out.push(finding('ORGANIZATION', tokens[0] as Token, tokens[tokens.length - 1] as Token, 0.6));
    return;
  }

  // "Ana & Omar": an ampersand joins organisation names only; otherwise each side stands alone.
  const amp = tokens.findIndex((t, i) => i > 0 && text.slice((tokens[i - 1] as Token).end, t.start) === ' & ');
  if (amp > 0) {
    classify(text, tokens.slice(0, amp), lex, out);
    classify(text, tokens.slice(amp), lex, out);
    return;
  }

  // A run that starts with an honorific or a given name followed by more capitalised words is a
  // person even when a word of it is also a place ("Paris Hilton", "Jordan Smith").
  const honorificFirst = lex.honorifics.has(words[0] as string);
  const personLed = honorificFirst || (tokens.length >= 2 && lex.given.has(words[0] as string) && !lex.places.has(whole));
  if (!personLed) {
    // Places: the longest known sub-runs; what lies between them is looked at as a person.
    let i = 0;
    let rest: Token[] = [];
    while (i < tokens.length) {
      let matched = 0;
      for (let len = Math.min(4, tokens.length - i); len >= 1; len--) {
        if (lex.places.has(words.slice(i, i + len).join(' '))) {
          matched = len;
          break;
        }
      }
      if (matched === 0) {
        rest.push(tokens[i] as Token);
        i++;
        continue;
      }
      if (rest.length > 0) person(text, rest, lex, out);
      rest = [];
      const first = tokens[i] as Token;
      const last = tokens[i + matched - 1] as Token;
      // A place name that is also a common word, a given name or a surname ("Reading", "Austin",
      // "Houston") needs a preposition before it ("in Reading", "our Austin office").
      const ambiguous = matched === 1 && (lex.commonWords.has(first.lower) || lex.given.has(first.lower) || lex.surnames.has(first.lower));
      if (ambiguous && !PLACE_PREPOSITION.test(text.slice(Math.max(0, first.start - 8), first.start))) {
        rest.push(first);
        i++;
        continue;
      }
      out.push(finding('LOCATION', first, last, 0.6));
      i += matched;
    }
    if (rest.length > 0 && rest.length < tokens.length) person(text, rest, lex, out);
    else if (rest.length === tokens.length) person(text, tokens, lex, out);
    return;
  }
  person(text, tokens, lex, out);
}

function person(text: string, run: Token[], lex: Lexicons, out: Finding[]): void {
  let tokens = run;
  let afterHonorific = false;
  while (tokens.length > 0 && lex.honorifics.has((tokens[0] as Token).lower)) {
    afterHonorific = true;
    tokens = tokens.slice(1);
  }
  if (!afterHonorific) {
    const prev = /([A-Za-z]+)\.?\s+$/.exec(text.slice(Math.max(0, (tokens[0]?.start ?? 0) - 12), tokens[0]?.start ?? 0))?.[1]?.toLowerCase();
    afterHonorific = prev !== undefined && lex.honorifics.has(prev);
  }
  // A possessive ends a name: "Maria's Bakery" is Maria.
  const possessive = tokens.findIndex((t, i) => i < tokens.length - 1 && /^['’]s /.test(text.slice(t.end, t.end + 3)));
  if (possessive >= 0) tokens = tokens.slice(0, possessive + 1);
  // "James Fischer Email:" — a label after the name is not part of it. Other everyday words
  // after a given name are surnames ("Mary Major", "Tom Hardy", "Harry Potter").
  const trailingNoise = (t: Token) =>
    NOT_A_NAME.has(t.lower) || (!lex.given.has(t.lower) && !lex.surnames.has(t.lower) && /^\s*:/.test(text.slice(t.end, t.end + 2)));
  while (tokens.length > 0 && trailingNoise(tokens[tokens.length - 1] as Token)) tokens = tokens.slice(0, -1);
  if (tokens.length === 0) return;
  const names = tokens.filter((t) => !PARTICLES.has(t.lower) && !t.word.endsWith('.'));
  if (names.length === 0 || names.some((t) => NOT_A_NAME.has(t.lower))) return;
  // "Email:" or "Phone:" on a line of its own is a form label.
  if (names.length === 1 && text[(names[0] as Token).end] === ':' && !lex.given.has((names[0] as Token).lower)) return;
  const first = names[0] as Token;
  const last = names[names.length - 1] as Token;
  // "Jean-Luc", "Anna-Lena": a hyphenated given name is known when its first part is.
  const isGiven = (w: string) => lex.given.has(w) || (w.includes('-') && lex.given.has(w.slice(0, w.indexOf('-'))));
  const known = (t: Token) => isGiven(t.lower) || lex.surnames.has(t.lower);
  // An everyday word that is no one's name ("Quarterly", "Summary") means this is not a person,
  // unless a known given name leads ("Mary Major").
  if (!isGiven(first.lower) && names.some((t) => !known(t) && lex.commonWords.has(t.lower))) return;

  let score: number;
  if (afterHonorific) score = PERSON_SCORE.strong;
  else if (names.length >= 2) {
    const givenFirst = isGiven(first.lower);
    const surnameLast = lex.surnames.has(last.lower);
    if (givenFirst && surnameLast) score = PERSON_SCORE.strong;
    else if (givenFirst) score = AMBIGUOUS_GIVEN.has(first.lower) ? PERSON_SCORE.needsContext : PERSON_SCORE.likely;
    else if (surnameLast || names.some(known)) score = PERSON_SCORE.fair;
    else score = PERSON_SCORE.weak;
  } else {
    const w = first.lower;
    // A lone given name that is no everyday word and no place ("Aiko, …", "from Emily:") is a
    // name; one that is ("Will", "Paris") needs a context word, and at a sentence start is skipped.
    if (!lex.given.has(w)) score = PERSON_SCORE.weak;
    else if (AMBIGUOUS_GIVEN.has(w) || lex.commonWords.has(w) || lex.places.has(w)) {
      if (isSentenceStart(text, first.start)) return;
      score = PERSON_SCORE.weak;
    } else score = PERSON_SCORE.lone;
  }
  const firstToken = tokens[0] as Token;
  out.push(finding('PERSON', PARTICLES.has(firstToken.lower) ? first : firstToken, tokens[tokens.length - 1] as Token, score));
}
