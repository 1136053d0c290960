import { describe, expect, it } from 'vitest';
import { address } from '@solana/kit';
import { encodeTransactionRequest, encodeTransferRequest, parseSolanaPayUrl, parseUnits } from './index.js';

// The Solana Pay specification's own examples.
const MVINES = address('mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN');
const USDC = address('EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v');
const ONE_SOL = 'solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=1&label=Michael&message=Thanks%20for%20all%20the%20fish&memo=OrderId12345';
const USDC_CENT = 'solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=0.01&spl-token=EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';

describe('Solana Pay URLs', () => {
  it("encodes the spec's examples byte for byte", () => {
    expect(encodeTransferRequest({ recipient: MVINES, references: [] })).toBe('solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN');
    expect(
      encodeTransferRequest({
        recipient: MVINES,
        amount: 1_000_000_000n,
        references: [],
        label: 'Michael',
        message: 'Thanks for all the fish',
        memo: 'OrderId12345',
      }),
    ).toBe(ONE_SOL);
    expect(encodeTransferRequest({ recipient: MVINES, amount: 10_000n, splToken: USDC, references: [] }, 6)).toBe(USDC_CENT);
    expect(encodeTransactionRequest('https://example.com/solana-pay')).toBe('solana:https://example.com/solana-pay');
    expect(encodeTransactionRequest('https://example.com/solana-pay?order=12345')).toBe('solana:https%3A%2F%2Fexample.com%2Fsolana-pay%3Forder%3D12345');
  });

  it("parses the spec's examples, with amounts in base units", () => {
    expect(parseSolanaPayUrl(ONE_SOL)).toEqual({
      kind: 'transfer',
      recipient: MVINES,
      amount: 1_000_000_000n,
      references: [],
      label: 'Michael',
      message: 'Thanks for all the fish',
      memo: 'OrderId12345',
    });
    expect(parseSolanaPayUrl(USDC_CENT, 6)).toEqual({ kind: 'transfer', recipient: MVINES, amount: 10_000n, splToken: USDC, references: [] });
    expect(parseSolanaPayUrl('solana:https%3A%2F%2Fexample.com%2Fsolana-pay%3Forder%3D12345')).toEqual({
      kind: 'transaction',
      link: 'https://example.com/solana-pay?order=12345',
    });
  });

  it('round-trips several references and keeps "+" as a plus sign', () => {
    const refs = [address('11111111111111111111111111111112'), address('SysvarC1ock11111111111111111111111111111111')];
    const url = encodeTransferRequest({ recipient: MVINES, amount: 1n, references: refs, memo: 'a+b c' });
    expect(parseSolanaPayUrl(url)).toMatchObject({ amount: 1n, references: refs, memo: 'a+b c' });
    expect(parseSolanaPayUrl(`${USDC_CENT}&memo=a+b`, 6)).toMatchObject({ memo: 'a+b' });
  });

  it('rejects amounts the spec does not allow, and bad keys, saying which', () => {
    expect(() => parseUnits('1e3', 9)).toThrow(/"1e3" is not a non-negative decimal/);
    expect(() => parseUnits('-1', 9)).toThrow(/not a non-negative decimal/);
    expect(() => parseUnits('.5', 9)).toThrow(/not a non-negative decimal/);
    expect(() => parseUnits('0.0000001', 6)).toThrow(/more than 6 decimal places/);
    expect(() => parseSolanaPayUrl('solana:notakey')).toThrow(/the recipient is not a base58 public key/);
    expect(() => parseSolanaPayUrl(`${ONE_SOL}&amount=2`)).toThrow(/amount appears more than once/);
    expect(() => parseSolanaPayUrl('bitcoin:abc')).toThrow(/must start with "solana:"/);
  });
});
