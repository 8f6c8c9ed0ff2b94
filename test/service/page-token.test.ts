import assert from 'node:assert/strict';
import { ValidationError } from '../../src/service/errors';
import { PageTokens } from '../../src/service/page-token';

const isSkuCursor = (value: unknown): value is { sku: string } =>
  typeof value === 'object' && value !== null && typeof (value as { sku?: unknown }).sku === 'string';

function flipCharacter(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe('service/page-token', () => {
  const tokens = new PageTokens('k'.repeat(32));
  const query = { text: 'bolt', category: 'Hardware' };

  it('round-trips a cursor and looks opaque and URL-safe', () => {
    const token = tokens.encode('products', query, { sku: 'BOLT-10' });
    assert.match(token, /^[A-Za-z0-9_.-]+$/);
    assert.ok(!token.includes('BOLT-10'));
    assert.deepEqual(tokens.decode(token, 'products', query, isSkuCursor), { sku: 'BOLT-10' });
  });

  it('rejects any altered character as a ValidationError on pageToken', () => {
    const token = tokens.encode('products', query, { sku: 'BOLT-10' });
    for (let index = 0; index < token.length; index += 1) {
      const tampered = flipCharacter(token, index);
      if (tampered === token) continue;
      assert.throws(
        () => tokens.decode(tampered, 'products', query, isSkuCursor),
        (error: unknown) => error instanceof ValidationError && error.violations[0]?.path === 'pageToken',
        `position ${index}`,
      );
    }
  });

  it('rejects a payload re-signed with another key, another kind or another query', () => {
    const token = tokens.encode('products', query, { sku: 'BOLT-10' });
    const other = new PageTokens('x'.repeat(32));
    assert.throws(() => other.decode(token, 'products', query, isSkuCursor), ValidationError);
    assert.throws(() => tokens.decode(token, 'orders', query, isSkuCursor), ValidationError);
    assert.throws(
      () => tokens.decode(token, 'products', { ...query, category: 'Tools' }, isSkuCursor),
      ValidationError,
    );
    assert.throws(() => tokens.decode('garbage', 'products', query, isSkuCursor), ValidationError);
  });

  it('rejects a validly signed cursor of the wrong shape', () => {
    const token = tokens.encode('products', query, { id: 3 });
    assert.throws(() => tokens.decode(token, 'products', query, isSkuCursor), ValidationError);
  });

  it('refuses short keys', () => {
    assert.throws(() => new PageTokens('short'), /at least 32 bytes/);
  });
});
