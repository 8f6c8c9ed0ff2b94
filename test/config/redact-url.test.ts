import assert from 'node:assert/strict';
import { redactUrl } from '../../src/config/redact-url';

describe('config/redactUrl', () => {
  it('replaces the password and keeps the rest exactly as written', () => {
    assert.equal(redactUrl('postgres://app:topsecret@db/orders'), 'postgres://app:***@db/orders');
    assert.equal(redactUrl('redis://:topsecret@cache:6379'), 'redis://:***@cache:6379');
    assert.equal(redactUrl('ftp://db'), 'ftp://db');
    assert.equal(redactUrl('postgres://postgres@127.0.0.1:5432/test'), 'postgres://postgres@127.0.0.1:5432/test');
    assert.equal(redactUrl('sqlite:data/x.sqlite'), 'sqlite:data/x.sqlite');
  });

  it('redacts a URL too broken to parse (a bad port) and a password holding "@"', () => {
    assert.equal(redactUrl('postgres://app:topsecret@db:99999/orders'), 'postgres://app:***@db:99999/orders');
    assert.equal(redactUrl('mysql://root:p@ss@db/orders'), 'mysql://root:***@db/orders');
  });
});
