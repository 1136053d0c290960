import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineConfig, operatorOption, thresholdOption } from './engine-options.js';

const dir = mkdtempSync(join(tmpdir(), 'lumora-pii-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const configFile = (name: string, yaml: string) => {
  writeFileSync(join(dir, name), yaml);
  return join(dir, name);
};

describe('operatorOption', () => {
  it('reads TYPE=OPERATOR[:PARAM] and adds it to the earlier ones', () => {
    const ops = ['CREDIT_CARD=mask:4', 'DEFAULT=hash:24', 'PERSON=pseudonym', 'URL=replace:[link]', 'EMAIL_ADDRESS=replace:'].reduce(
      (prev, v) => operatorOption(v, prev),
      {},
    );
    expect(ops).toEqual({
      CREDIT_CARD: { type: 'mask', keep: 4 },
      DEFAULT: { type: 'hash', chars: 24 },
      PERSON: { type: 'pseudonym' },
      URL: { type: 'replace', with: '[link]' },
      EMAIL_ADDRESS: { type: 'replace', with: '' },
    });
  });

  it('rejects an unknown operator and a parameter that is not a number, quoting the value', () => {
    expect(() => operatorOption('PERSON=shred')).toThrow('"PERSON=shred" is not TYPE=OPERATOR[:PARAM] with OPERATOR one of');
    expect(() => operatorOption('DEFAULT=mask:x')).toThrow('"DEFAULT=mask:x": the number of characters to keep must be an integer.');
  });
});

describe('thresholdOption', () => {
  it('accepts a score in [0, 1] only', () => {
    expect(thresholdOption('0.7')).toBe(0.7);
    expect(() => thresholdOption('2')).toThrow('"2" is not a score between 0 and 1.');
  });
});

describe('engineConfig', () => {
  it('lets flags override the config file and merges --operator into its operators', () => {
    const file = configFile('pii.yaml', 'scoreThreshold: 0.3\noperators:\n  PERSON: {type: pseudonym}\n');
    const config = engineConfig({ config: file, threshold: 0.8, operator: { CREDIT_CARD: { type: 'mask', keep: 4 } }, region: 'gb' });
    expect(config).toMatchObject({
      scoreThreshold: 0.8,
      defaultRegion: 'GB',
      operators: { PERSON: { type: 'pseudonym' }, CREDIT_CARD: { type: 'mask', keep: 4 } },
    });
  });

  it('reads the pii section of a pipeline config and names a bad field under pii.', () => {
    const file = configFile('pipeline.yaml', 'runner: {}\npii:\n  scoreThreshold: 2\n');
    expect(() => engineConfig({ config: file })).toThrow(`config ${file}: pii.scoreThreshold: Too big: expected number to be <=1`);
  });

  it('refuses an entity type no recognizer reports, since it would silently find nothing', () => {
    expect(() => engineConfig({ entities: ['EMAIL'] })).toThrow(/^unknown entity type EMAIL: the types are EMAIL_ADDRESS, /);
  });
});
