/**
 * @module Builds stages by name from the run's config. Worker threads receive only names and
 * plain config, so every stage must be constructible from those alone.
 */
import type { PipelineConfig } from './config.js';
import type { Stage } from './stage.js';
import { createMinhashStage } from './dedupe/minhash-stage.js';
import { createExtractStage } from './extract/extract-stage.js';
import { createLanguageStage } from './language/language-stage.js';
import { createQualityStage } from './quality/quality-stage.js';
import { createPiiStage } from './redaction/pii-stage.js';

const FACTORIES = {
  extract: (c: PipelineConfig) => createExtractStage(c.extract),
  language: (c: PipelineConfig) => createLanguageStage(c.language),
  minhash: (c: PipelineConfig) => createMinhashStage(c.dedupe),
  pii: (c: PipelineConfig) => createPiiStage(c.pii),
  quality: (c: PipelineConfig) => createQualityStage(c.quality),
} satisfies Record<string, (c: PipelineConfig) => Stage>;

/** Names of the stateless stages that may run in worker threads. */
export type StageName = keyof typeof FACTORIES;

/** The stateless stages in pipeline order before and after the (stateful) dedupe stage. */
export const STAGES_BEFORE_DEDUPE: StageName[] = ['extract', 'language', 'minhash'];
export const STAGES_AFTER_DEDUPE: StageName[] = ['pii', 'quality'];

export function createStages(names: readonly StageName[], config: PipelineConfig): Stage[] {
  return names.map((n) => FACTORIES[n](config));
}
