/**
 * Exact money: arithmetic in bigint cents, exchange as canonical decimal strings ("0.30").
 * A JS number never holds an amount, so 3 x 0.10 is 0.30 and 9999999.99 x 1000 is 9999999990.00.
 */
import type { MoneyString } from './store';

/** decimal(18,2): the largest amount every supported database stores exactly. */
export const MAX_MONEY_CENTS = 10n ** 18n - 1n;

const DECIMAL_LEXICAL = /^\+?(\d*)(?:\.(\d*))?$/;

/**
 * Parses an xs:decimal lexical form with at most two significant fraction digits ("10", "10.5", "010.500")
 * into cents. Returns undefined for anything else (negative, more precision, not a number).
 */
export function parseMoney(lexical: string): bigint | undefined {
  const match = DECIMAL_LEXICAL.exec(lexical.trim());
  if (!match) return undefined;
  const whole = match[1] ?? '';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (whole === '' && (match[2] ?? '') === '') return undefined;
  if (fraction.length > 2) return undefined;
  return BigInt(whole === '' ? '0' : whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** Cents -> canonical "123.45". */
export function formatMoney(cents: bigint): MoneyString {
  if (cents < 0n) throw new RangeError(`Negative amount ${cents}`);
  const text = cents.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** Canonical form of a money lexical, or undefined when it is not a valid non-negative 2-digit amount. */
export function canonicalMoney(lexical: string): MoneyString | undefined {
  const cents = parseMoney(lexical);
  return cents === undefined || cents > MAX_MONEY_CENTS ? undefined : formatMoney(cents);
}
