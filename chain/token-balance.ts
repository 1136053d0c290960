/**
 * @module Reading SPL token accounts (classic and Token-2022) from raw account data, in the shape
 * `getTransaction` reports as `preTokenBalances` / `postTokenBalances` and `getTokenAccountBalance`
 * answers, and amounts in base units as decimal strings.
 */
import { getBase58Decoder, type Address, type MaybeEncodedAccount } from '@solana/kit';

/** Classic SPL Token and Token-2022: accounts they own have the same first 165 bytes. */
export const TOKEN_PROGRAMS: readonly string[] = ['TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA', 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb'];

/** A token account's balance, as `getTransaction` reports it in `preTokenBalances`. */
export interface TokenBalance {
  accountIndex: number;
  mint: string;
  owner: string;
  programId: string;
  uiTokenAmount: { amount: string; decimals: number; uiAmount: number | null; uiAmountString: string };
}

/** A token account's balance, with its mint, owner and program. */
export type TokenAccountBalance = TokenBalance['uiTokenAmount'] & { mint: string; owner: string; programId: string };

/** Token-2022's account-type byte (offset 165) for a token account, as opposed to a mint. */
const ACCOUNT_TYPE_TOKEN_ACCOUNT = 2;

/** The balance of a token account, or undefined when `address` is not one. */
export function readTokenBalance(getAccount: (address: Address) => MaybeEncodedAccount, address: Address): TokenAccountBalance | undefined {
  const account = getAccount(address);
  if (!account.exists || !TOKEN_PROGRAMS.includes(account.programAddress) || account.data.length < 165) return undefined;
  // Token-2022 mints with extensions are longer than 165 bytes too; byte 165 says which kind it is.
  if (account.data.length > 165 && account.data[165] !== ACCOUNT_TYPE_TOKEN_ACCOUNT) return undefined;
  const data = Buffer.from(account.data);
  const mint = getBase58Decoder().decode(data.subarray(0, 32));
  const owner = getBase58Decoder().decode(data.subarray(32, 64));
  const amount = data.readBigUInt64LE(64);
  const mintAccount = getAccount(mint as Address);
  const decimals = mintAccount.exists && mintAccount.data.length >= 45 ? (mintAccount.data[44] as number) : 0;
  const uiAmountString = formatUnits(amount, decimals);
  return { mint, owner, programId: account.programAddress, amount: amount.toString(), decimals, uiAmount: Number(uiAmountString), uiAmountString };
}

/** Base units as a decimal string: 1500000 with 6 decimals is "1.5". */
export function formatUnits(amount: bigint, decimals: number): string {
  if (decimals === 0) return amount.toString();
  const s = amount.toString().padStart(decimals + 1, '0');
  const whole = s.slice(0, s.length - decimals);
  const fraction = s.slice(s.length - decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}
