/**
 * @module PERSON: names found from cheap signals, not by running NLP over every sentence. Candidate
 * spans are runs of capitalised words; compromise's lexicon (≈3,000 given names, ≈900 surnames,
 * honorifics) decides which runs are names: an honorific before the run, a known given name
 * followed by another capitalised word, a known surname closing the run. A lone given name counts
 * only with a context word ("name", "contact", "dear" …). Words that make a run a place or an
 * organisation ("Street", "University", "Inc") veto it.
 */
import nlp from 'compromise';
import { hasContext, type Recognizer } from '../recognizer.js';
import type { Finding } from '../finding.js';

interface Lexicons {
  given: Set<string>;
  surnames: Set<string>;
  honorifics: Set<string>;
}

function loadLexicons(): Lexicons {
  const lexicon = (nlp as unknown as { model(): { one: { lexicon: Record<string, string | string[]> } } }).model().one.lexicon;
  const given = new Set<string>();
  const surnames = new Set<string>();
  const honorifics = new Set<string>(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame', 'madam', 'rev', 'fr', 'sr', 'sra']);
  for (const [word, tag] of Object.entries(lexicon)) {
    if (word.includes(' ')) continue;
    const tags = Array.isArray(tag) ? tag : [tag];
    for (const t of tags) {
      if (t === 'MaleName' || t === 'FemaleName' || t === 'FirstName') given.add(word);
      else if (t === 'LastName') surnames.add(word);
      else if (t === 'Honorific') honorifics.add(word.replace(/\.$/, ''));
    }
  }
  return { given, surnames, honorifics };
}

/** Words that turn a capitalised run into a place, an organisation, a date or a heading. */
const NOT_A_NAME = new Set(
  (
    'street st avenue ave road rd boulevard blvd lane drive court place square park bridge river lake mountain county city ' +
    'university college school hospital institute museum library church bank company inc corp corporation llc ltd group ' +
    'foundation association council ministry department agency center centre hotel airport station times post news ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april june july august september ' +
    'october november december the and of for in on at by to a an this that our your their new north south east west'
  ).split(' '),
);
/** Given names that are also everyday English words: alone or first in a sentence they are not names. */
const AMBIGUOUS_GIVEN = new Set('will may june april august mark bill grant rose art hope joy faith grace page dawn summer autumn case chase lane'.split(' '));
const CONTEXT = new Set(['name', 'named', 'contact', 'dear', 'by', 'author', 'customer', 'patient', 'employee', 'signed', 'regards', 'from', 'mr', 'mrs', 'ms', 'dr', 'attn']);

const RUN = /\b[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?){0,3}/g;

/** Scores: a name with two strong signals, with one, and a lone given name (needs context). */
const STRONG = 0.85;
const LIKELY = 0.7;
const WEAK = 0.4;

export function createPersonRecognizer(): Recognizer {
  const lex = loadLexicons();
  return {
    name: 'person',
    entities: ['PERSON'],
    analyze(text) {
      const out: Finding[] = [];
      RUN.lastIndex = 0;
      for (let m = RUN.exec(text); m; m = RUN.exec(text)) {
        const tokens = [...m[0].matchAll(/[A-Z]\.|[A-Za-z][a-z'’-]*/g)].map((t) => ({ word: t[0], at: m!.index + (t.index ?? 0) }));
        const lower = tokens.map((t) => t.word.toLowerCase().replace(/[’']s$/, ''));
        const prev = /([A-Za-z]+)\.?\s+$/.exec(text.slice(Math.max(0, m.index - 8), m.index))?.[1]?.toLowerCase();
        const afterHonorific = prev !== undefined && lex.honorifics.has(prev);
        // The name starts at the first given name, or right away after an honorific.
        let first = afterHonorific ? 0 : lower.findIndex((w) => lex.given.has(w));
        if (first < 0) {
          // "Garcia Miller": two known surnames can still be a name.
          if (tokens.length >= 2 && lower.every((w) => lex.surnames.has(w) || w.length === 2)) first = 0;
          // Names outside the lexicon ("Priya Natarajan") still count right after "contact", "dear", "by" ….
          else if (tokens.length >= 2 && tokens.length <= 3 && hasContext(text, m.index, CONTEXT, 2) && !lower.some((w) => NOT_A_NAME.has(w))) first = 0;
          else continue;
        }
        let last = first;
        while (last + 1 < tokens.length && !NOT_A_NAME.has(lower[last + 1] as string)) last++;
        if (lower.slice(first, last + 1).some((w) => NOT_A_NAME.has(w))) continue;
        const nameTokens = lower.slice(first, last + 1);
        const firstWord = nameTokens[0] as string;
        const sentenceStart = first === 0 && /(?:^|[.!?]\s+)$/.test(text.slice(Math.max(0, m.index - 3), m.index));
        let score: number;
        if (afterHonorific) score = STRONG;
        else if (nameTokens.length >= 2) {
          const knownSurname = lex.surnames.has(nameTokens[nameTokens.length - 1] as string);
          score = knownSurname && lex.given.has(firstWord) ? STRONG : LIKELY;
          if (AMBIGUOUS_GIVEN.has(firstWord) && !knownSurname) score = WEAK;
        } else {
          if (AMBIGUOUS_GIVEN.has(firstWord) || sentenceStart) continue;
          score = WEAK;
        }
        const start = (tokens[first] as { at: number }).at;
        const lastTok = tokens[last] as { word: string; at: number };
        if (hasContext(text, start, CONTEXT)) score = Math.min(1, score + 0.35);
        out.push({ type: 'PERSON', start, end: lastTok.at + lastTok.word.length, score, recognizer: 'person' });
      }
      return out;
    },
  };
}
