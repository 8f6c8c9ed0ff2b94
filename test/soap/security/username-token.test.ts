import assert from 'node:assert/strict';
import { parseEnvelope } from '../../../src/soap/envelope';
import { PASSWORD_DIGEST, PASSWORD_TEXT } from '../../../src/soap/security/constants';
import { WssFault } from '../../../src/soap/security/faults';
import { hashPassword, verifyPassword } from '../../../src/soap/security/password-hash';
import { InMemoryCredentialStore } from '../../../src/soap/security/store';
import { passwordDigest, readUsernameToken, verifyUsernameToken } from '../../../src/soap/security/username-token';

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

function tokenView(inner: string) {
  const xml = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"><wsse:UsernameToken>${inner}</wsse:UsernameToken></wsse:Security></soap:Header><soap:Body/></soap:Envelope>`;
  return parseEnvelope(Buffer.from(xml), { dom: false }).headers[0]!.element.children[0]!;
}

const expectWss = (code: string) => (error: unknown) => error instanceof WssFault && error.wssCode === code;

describe('security: UsernameToken', () => {
  it('computes the PasswordDigest known answer', () => {
    const digest = passwordDigest(
      Buffer.from('2FW1CIo2ZUOJmSjVRcJZlQ==', 'base64'),
      '2019-02-12T12:34:12.110Z',
      'vM3s1hKVMy6zBOn',
    );
    assert.equal(digest, 'wM9xjA92wCw+QcQI1urjZ6B8+LQ=');
  });

  it('verifies a digest token built from the known-answer values at its own time', async () => {
    const store = new InMemoryCredentialStore().addAccount({
      principal: { id: 'p1', name: 'p1', roles: [] },
      username: 'kat',
      digestSecret: 'vM3s1hKVMy6zBOn',
    });
    const fields = readUsernameToken(
      tokenView(
        `<wsse:Username>kat</wsse:Username><wsse:Password Type="${PASSWORD_DIGEST}">wM9xjA92wCw+QcQI1urjZ6B8+LQ=</wsse:Password>` +
          `<wsse:Nonce>2FW1CIo2ZUOJmSjVRcJZlQ==</wsse:Nonce><wsu:Created>2019-02-12T12:34:12.110Z</wsu:Created>`,
      ),
    );
    const window = { now: new Date('2019-02-12T12:35:00Z'), maxAgeSeconds: 300, futureSkewSeconds: 60 };
    assert.equal(await verifyUsernameToken(fields, await store.findAccountByUsername('kat'), window), true);
    const wrong = { ...fields, password: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' };
    assert.equal(await verifyUsernameToken(wrong, await store.findAccountByUsername('kat'), window), false);
    await assert.rejects(
      verifyUsernameToken(fields, await store.findAccountByUsername('kat'), {
        ...window,
        now: new Date('2019-02-12T13:00:00Z'),
      }),
      expectWss('MessageExpired'),
    );
  });

  it('requires Nonce and Created for PasswordDigest', () => {
    assert.throws(
      () =>
        readUsernameToken(
          tokenView(
            `<wsse:Username>a</wsse:Username><wsse:Password Type="${PASSWORD_DIGEST}">x</wsse:Password><wsu:Created>2019-02-12T12:34:12Z</wsu:Created>`,
          ),
        ),
      expectWss('InvalidSecurityToken'),
    );
    assert.throws(
      () =>
        readUsernameToken(
          tokenView(
            `<wsse:Username>a</wsse:Username><wsse:Password Type="${PASSWORD_DIGEST}">x</wsse:Password><wsse:Nonce>2FW1CIo2ZUOJmSjVRcJZlQ==</wsse:Nonce>`,
          ),
        ),
      expectWss('InvalidSecurityToken'),
    );
  });

  it('reads PasswordText with and without the Type attribute and refuses other types', () => {
    assert.equal(
      readUsernameToken(tokenView('<wsse:Username>a</wsse:Username><wsse:Password>pw</wsse:Password>')).passwordType,
      'text',
    );
    assert.equal(
      readUsernameToken(
        tokenView(`<wsse:Username>a</wsse:Username><wsse:Password Type="${PASSWORD_TEXT}">pw</wsse:Password>`),
      ).passwordType,
      'text',
    );
    assert.throws(
      () =>
        readUsernameToken(
          tokenView('<wsse:Username>a</wsse:Username><wsse:Password Type="urn:other">pw</wsse:Password>'),
        ),
      expectWss('UnsupportedSecurityToken'),
    );
    assert.throws(
      () => readUsernameToken(tokenView('<wsse:Username>a</wsse:Username>')),
      expectWss('InvalidSecurityToken'),
    );
  });

  it('honours text-only and digest-only partners', async () => {
    const window = { now: new Date(), maxAgeSeconds: 300, futureSkewSeconds: 60 };
    const hash = await hashPassword('pw-1');
    const store = new InMemoryCredentialStore()
      .addAccount({
        principal: { id: 't', name: 't', roles: [] },
        username: 't',
        passwordHash: hash,
        digestSecret: 'pw-1',
        policy: { authModes: 'digest' },
      })
      .addAccount({
        principal: { id: 'd', name: 'd', roles: [] },
        username: 'd',
        passwordHash: hash,
        digestSecret: 'pw-1',
        policy: { authModes: 'text' },
      });
    const text = { username: 't', password: 'pw-1', passwordType: 'text' as const };
    assert.equal(
      await verifyUsernameToken(text, await store.findAccountByUsername('t'), window),
      false,
      'digest-only partner used text',
    );
    assert.equal(
      await verifyUsernameToken({ ...text, username: 'd' }, await store.findAccountByUsername('d'), window),
      true,
    );
    const nonce = Buffer.from('0123456789abcdef');
    const createdText = new Date().toISOString();
    const digest = {
      username: 'd',
      password: passwordDigest(nonce, createdText, 'pw-1'),
      passwordType: 'digest' as const,
      nonce,
      createdText,
      created: new Date(createdText),
    };
    assert.equal(
      await verifyUsernameToken(digest, await store.findAccountByUsername('d'), window),
      false,
      'text-only partner used digest',
    );
    assert.equal(
      await verifyUsernameToken({ ...digest, username: 't' }, await store.findAccountByUsername('t'), window),
      true,
    );
  });
});

describe('security: scrypt password hashes', () => {
  it('verifies the right password only, and answers false for unknown users after the same work', async () => {
    const hash = await hashPassword('correct horse');
    assert.match(hash, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.equal(await verifyPassword('correct horse', hash), true);
    assert.equal(await verifyPassword('correct hors', hash), false);
    assert.equal(await verifyPassword('correct horse', undefined), false);
    assert.equal(await verifyPassword('x', 'scrypt$3$8$1$AAAA$BBBB'), false, 'malformed parameters are refused');
    const timed = async (stored: string | undefined) => {
      const start = process.hrtime.bigint();
      await verifyPassword('guess', stored);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    // Interleaved runs and medians, so that load from other processes hits both sides alike.
    await timed(undefined);
    const knownRuns: number[] = [];
    const unknownRuns: number[] = [];
    for (let i = 0; i < 5; i++) {
      knownRuns.push(await timed(hash));
      unknownRuns.push(await timed(undefined));
    }
    const median = (runs: number[]) => runs.sort((a, b) => a - b)[2]!;
    const known = median(knownRuns);
    const unknown = median(unknownRuns);
    assert.ok(unknown > known / 5 && unknown < known * 5, `unknown-user timing ${unknown} ms vs known ${known} ms`);
  });
});
