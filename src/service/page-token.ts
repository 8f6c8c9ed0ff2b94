/**
 * Opaque, tamper-evident page tokens for keyset paging.
 *
 * Format: "v1.<payload>.<mac>", both parts base64url. The payload is JSON
 *   { k: kind, q: query fingerprint, c: cursor }
 * and the mac is HMAC-SHA256(key, "partner-orders/page-token/v1." + payload). The fingerprint binds the token
 * to the query it continues (kind, caller scope and filters), so a token cannot be replayed against
 * another partner's list or other filters. Any change to the token makes it fail verification, which the
 * caller sees as a ValidationError on `pageToken`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from './errors';

const VERSION = 'v1';
const MAC_CONTEXT = 'partner-orders/page-token/v1.';
const MIN_KEY_BYTES = 32;

export type PageTokenKind = 'products' | 'orders';

interface Payload {
  k: PageTokenKind;
  q: string;
  c: unknown;
}

export class PageTokens {
  private readonly key: Buffer;

  /** `key`: at least 32 secret bytes; every instance of the service must share it for tokens to survive restarts. */
  constructor(key: Buffer | string) {
    this.key = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
    if (this.key.length < MIN_KEY_BYTES)
      throw new Error(`The page token key must have at least ${MIN_KEY_BYTES} bytes`);
  }

  encode(kind: PageTokenKind, query: unknown, cursor: unknown): string {
    const payload = Buffer.from(
      JSON.stringify({ k: kind, q: fingerprint(query), c: cursor } satisfies Payload),
    ).toString('base64url');
    return `${VERSION}.${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /**
   * The cursor inside a token made by encode(kind, query, ...) with an equal query; otherwise a
   * ValidationError at `path`. `isCursor` checks the shape, so the result is typed.
   */
  decode<C>(
    token: string,
    kind: PageTokenKind,
    query: unknown,
    isCursor: (value: unknown) => value is C,
    path = 'pageToken',
  ): C {
    const invalid = () =>
      ValidationError.single(
        path,
        'The page token is invalid, was altered, or belongs to a different query; start again without pageToken',
      );
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION) throw invalid();
    const [, payload, macText] = parts as [string, string, string];
    const expected = this.mac(payload);
    const given = Buffer.from(macText, 'base64url');
    // Non-canonical base64 (altered padding bits) decodes to the same bytes: refuse it, a token has one spelling.
    if (
      given.length !== expected.length ||
      given.toString('base64url') !== macText ||
      !timingSafeEqual(given, expected)
    ) {
      throw invalid();
    }
    let parsed: Partial<Payload>;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Payload>;
    } catch {
      throw invalid();
    }
    if (parsed.k !== kind || parsed.q !== fingerprint(query) || !isCursor(parsed.c)) throw invalid();
    return parsed.c;
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(MAC_CONTEXT).update(payload).digest();
  }
}

/** Short digest of the query's canonical JSON (keys sorted, undefined dropped). */
function fingerprint(query: unknown): string {
  return createHash('sha256').update(canonicalJson(query)).digest('base64url').slice(0, 16);
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
