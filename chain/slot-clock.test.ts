import { describe, expect, it } from 'vitest';
import { address } from '@solana/kit';
import { FINALIZATION_DEPTH_SLOTS, SlotClock } from './slot-clock.js';
import { Localnet } from './index.js';

describe('the slot clock', () => {
  it('makes a slot every slotMs from elapsed time, with no timer', () => {
    let now = 1_000;
    const clock = new SlotClock({ slotMs: 400, startSlot: 10, nowMs: () => now });
    expect(clock.slot).toBe(10);
    now += 399;
    expect(clock.slot).toBe(10);
    now += 1;
    expect(clock.slot).toBe(11);
    expect(clock.advance(5)).toBe(16);
  });

  it('stands still with slotMs 0 until advanced', () => {
    const clock = new SlotClock({ slotMs: 0 });
    expect(clock.slot).toBe(1);
    expect(clock.advance(2)).toBe(3);
    expect(() => clock.advance(-1)).toThrow(/n must be a non-negative integer/);
    expect(() => new SlotClock({ slotMs: -5 })).toThrow(/slotMs -5 must be/);
  });

  it('calls a slot processed, then confirmed one slot later, then finalized 32 slots later', () => {
    const clock = new SlotClock({ slotMs: 0, startSlot: 100 });
    expect(clock.commitmentOf(100)).toBe('processed');
    clock.advance(1);
    expect(clock.commitmentOf(100)).toBe('confirmed');
    clock.advance(FINALIZATION_DEPTH_SLOTS - 2);
    expect(clock.commitmentOf(100)).toBe('confirmed');
    clock.advance(1);
    expect(clock.commitmentOf(100)).toBe('finalized');
    expect(clock.slotAt('finalized')).toBe(100);
  });

  it('lets several transactions share a slot on a running localnet', async () => {
    let now = 0;
    const net = Localnet.open({ slotMs: 400, nowMs: () => now });
    const a = net.airdrop(address('11111111111111111111111111111112'), 1_000_000n);
    const b = net.airdrop(address('11111111111111111111111111111113'), 1_000_000n);
    expect(net.transaction(a)?.slot).toBe(net.transaction(b)?.slot);
    expect(net.commitmentOf(net.transaction(a)!.slot)).toBe('processed');
    now += 400;
    expect(net.commitmentOf(net.transaction(a)!.slot)).toBe('confirmed');
  });
});
