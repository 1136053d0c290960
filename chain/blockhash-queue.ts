/**
 * @module The recent blockhashes a validator accepts. Each slot gets a fresh blockhash, and a
 * transaction may use any blockhash at most [MAX_PROCESSING_AGE] slots old, exactly up to the
 * `lastValidBlockHeight` that `getLatestBlockhash` announced with it. LiteSVM itself accepts only
 * its single latest blockhash, so the localnet turns LiteSVM's check off and asks this queue.
 */
import { getBase58Decoder } from '@solana/kit';

/** Blocks a blockhash stays usable (agave `MAX_PROCESSING_AGE`); wallets count on it. */
export const MAX_PROCESSING_AGE = 150;

/** One issued blockhash and the slot it belongs to. */
export interface IssuedBlockhash {
  blockhash: string;
  slot: number;
}

export class BlockhashQueue {
  /** Oldest first; at most one per slot. */
  private readonly issued: IssuedBlockhash[];

  constructor(saved: IssuedBlockhash[] = []) {
    this.issued = [...saved].sort((a, b) => a.slot - b.slot);
  }

  /** The blockhash of `slot` (made on first request) and the last block height it is valid at. */
  latest(slot: number): { blockhash: string; lastValidBlockHeight: number } {
    let newest = this.issued.at(-1);
    if (!newest || newest.slot < slot) {
      newest = { blockhash: randomBlockhash(), slot };
      this.issued.push(newest);
      this.prune(slot);
    }
    return { blockhash: newest.blockhash, lastValidBlockHeight: newest.slot + MAX_PROCESSING_AGE };
  }

  /**
   * Another blockhash for `slot`, for the localnet's own transactions: two identical faucet
   * requests in one slot would otherwise be one signature, and the second "AlreadyProcessed".
   */
  fresh(slot: number): { blockhash: string; lastValidBlockHeight: number } {
    const entry = { blockhash: randomBlockhash(), slot };
    this.issued.push(entry);
    return { blockhash: entry.blockhash, lastValidBlockHeight: slot + MAX_PROCESSING_AGE };
  }

  /** Whether a transaction with `blockhash` may still run at `slot`. */
  isValid(blockhash: string, slot: number): boolean {
    const entry = this.issued.find((e) => e.blockhash === blockhash);
    return entry !== undefined && slot <= entry.slot + MAX_PROCESSING_AGE;
  }

  /** The blockhashes still valid at `slot`, for the state file. */
  toJSON(): IssuedBlockhash[] {
    return [...this.issued];
  }

  private prune(slot: number): void {
    while (this.issued.length > 0 && (this.issued[0] as IssuedBlockhash).slot + MAX_PROCESSING_AGE < slot) this.issued.shift();
  }
}

/** 32 random bytes, base58: LiteSVM does not check blockhashes here, so any unique value serves. */
function randomBlockhash(): string {
  return getBase58Decoder().decode(crypto.getRandomValues(new Uint8Array(32)));
}
