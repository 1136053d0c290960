import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendTransactionMessageInstructions,
  createTransactionMessage,
  generateKeyPairSigner,
  getTransactionEncoder,
  lamports,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from '@solana/kit';
import { getTransferSolInstruction } from '@solana-program/system';
import { afterAll, describe, expect, it } from 'vitest';
import { Localnet } from './localnet.js';
import { WriteAheadLog } from './write-ahead-log.js';

const dir = mkdtempSync(join(tmpdir(), 'lumora-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WriteAheadLog', () => {
  it('gives back every entry written, numbered, across reopenings', () => {
    const file = join(dir, 'a.log');
    const { log } = WriteAheadLog.open<string>(file, { firstSeq: 1 });
    expect([log.append('one'), log.append('two')]).toEqual([1, 2]);
    log.close();
    const again = WriteAheadLog.open<string>(file, { firstSeq: 1 });
    expect(again.entries).toEqual([
      { seq: 1, change: 'one' },
      { seq: 2, change: 'two' },
    ]);
    expect(again.log.append('three')).toBe(3);
    again.log.close();
  });

  it('drops a last line torn by a crash, and writes the next entry on a line of its own', () => {
    const file = join(dir, 'torn.log');
    const { log } = WriteAheadLog.open<string>(file, { firstSeq: 1 });
    log.append('kept');
    log.close();
    appendFileSync(file, '{"seq":2,"change":"half-writ');
    const reopened = WriteAheadLog.open<string>(file, { firstSeq: 1 });
    expect(reopened.entries.map((e) => e.change)).toEqual(['kept']);
    reopened.log.append('next');
    reopened.log.close();
    expect(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).change),
    ).toEqual(['kept', 'next']);
  });

  it('refuses a damaged line before the end, naming the file and the line', () => {
    const file = join(dir, 'damaged.log');
    writeFileSync(file, '{"seq":1,"change":"a"}\nnot json\n{"seq":3,"change":"c"}\n');
    expect(() => WriteAheadLog.open(file, { firstSeq: 1 })).toThrow(`${file}: line 2 is not a log entry`);
  });
});

describe('the localnet on disk', () => {
  it('has every transaction after a crash without a snapshot, from its log alone', async () => {
    const stateFile = join(dir, 'crash.json');
    const net = Localnet.open({ stateFile, slotMs: 0 });
    const someone = await generateKeyPairSigner();
    const sig = net.airdrop(someone.address, 1_000_000n);
    const mint = net.lumoraMint();
    net.faucet(someone.address, 5_000_000n);
    // No save() and no close(): the process died here.
    const reopened = Localnet.open({ stateFile, slotMs: 0 });
    expect(reopened.balance(someone.address)).toBe(1_000_000n);
    expect(reopened.transaction(sig)?.slot).toBe(net.transaction(sig)?.slot);
    expect(reopened.lumoraMint()).toBe(mint);
    // The clock goes on one slot past the last transaction, so what was processed before reads as confirmed.
    expect(reopened.currentSlot).toBe(net.currentSlot + 1);
    expect(reopened.transaction(sig, 'confirmed')).toBeDefined();
  });

  it('keeps an account a transaction drained gone after a crash, rather than bringing back its older state', async () => {
    const stateFile = join(dir, 'drained.json');
    const net = Localnet.open({ stateFile, slotMs: 0 });
    const payer = await generateKeyPairSigner();
    const payee = await generateKeyPairSigner();
    net.airdrop(payer.address, 1_000_000_000n);
    // Everything but the fee: the payer's account closes.
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(payer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(net.latestBlockhash() as never, m),
      (m) =>
        appendTransactionMessageInstructions(
          [getTransferSolInstruction({ source: payer, destination: payee.address, amount: lamports(1_000_000_000n - 5000n) })],
          m,
        ),
    );
    net.send(getTransactionEncoder().encode(await signTransactionMessageWithSigners(message)) as Uint8Array);
    expect(net.account(payer.address).exists).toBe(false);
    const reopened = Localnet.open({ stateFile, slotMs: 0 });
    expect(reopened.account(payer.address).exists).toBe(false);
    expect(reopened.balance(payee.address)).toBe(1_000_000_000n - 5000n);
  });

  it('writes a snapshot every compactEvery entries and empties the log, losing nothing', async () => {
    const stateFile = join(dir, 'compact.json');
    const net = Localnet.open({ stateFile, slotMs: 0, compactEvery: 3 });
    const wallets = await Promise.all([1, 2, 3, 4].map(() => generateKeyPairSigner()));
    for (const w of wallets) net.airdrop(w.address, 1_000_000n);
    expect(readFileSync(`${stateFile}.log`, 'utf8').trim().split('\n')).toHaveLength(1);
    const reopened = Localnet.open({ stateFile, slotMs: 0 });
    for (const w of wallets) expect(reopened.balance(w.address)).toBe(1_000_000n);
  });
});
