/**
 * wsse:UsernameToken (Username Token Profile 1.1): PasswordText checked against an scrypt hash,
 * PasswordDigest = Base64(SHA-1(nonce + created + password)) against the partner's recoverable secret.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { XmlElement } from '../xml/element';
import { BASE64_BINARY, PASSWORD_DIGEST, PASSWORD_TEXT, WSSE_NS, WSU_NS } from './constants';
import { decodeBase64Value } from './base64';
import { wssFault } from './faults';
import type { AccountCredentials } from './store';
import { checkCreatedInWindow, parseUtcDateTime, type TimeWindow } from './timestamp';
import { uncachedPasswordCheck, type PasswordCheck } from './verified-passwords';

export type PasswordType = 'text' | 'digest';

export interface UsernameTokenFields {
  readonly username: string;
  readonly password: string;
  readonly passwordType: PasswordType;
  /** Decoded nonce bytes. */
  readonly nonce?: Buffer;
  readonly createdText?: string;
  readonly created?: Date;
}

const MAX_FIELD_LENGTH = 1024;
const MIN_NONCE_BYTES = 8;

function onlyChild(token: XmlElement, ns: string, local: string): XmlElement | undefined {
  const found = token.children.filter((c) => c.ns === ns && c.local === local);
  if (found.length > 1) throw wssFault('InvalidSecurityToken', `UsernameToken has ${found.length} ${local} elements`);
  return found[0];
}

/** Reads and checks the token's shape; no credential is looked at yet. */
export function readUsernameToken(token: XmlElement): UsernameTokenFields {
  const usernameElement = onlyChild(token, WSSE_NS, 'Username');
  const passwordElement = onlyChild(token, WSSE_NS, 'Password');
  if (!usernameElement || !passwordElement)
    throw wssFault('InvalidSecurityToken', 'UsernameToken without Username or Password');
  const username = usernameElement.text.trim();
  const password = passwordElement.text;
  if (!username || username.length > MAX_FIELD_LENGTH || password.length > MAX_FIELD_LENGTH) {
    throw wssFault('InvalidSecurityToken', 'UsernameToken Username or Password empty or too long');
  }
  const type = passwordElement.attr('', 'Type') ?? PASSWORD_TEXT;
  if (type !== PASSWORD_TEXT && type !== PASSWORD_DIGEST)
    throw wssFault('UnsupportedSecurityToken', `password type ${type}`);
  const passwordType: PasswordType = type === PASSWORD_DIGEST ? 'digest' : 'text';

  const nonceElement = onlyChild(token, WSSE_NS, 'Nonce');
  let nonce: Buffer | undefined;
  if (nonceElement) {
    const encoding = nonceElement.attr('', 'EncodingType') ?? BASE64_BINARY;
    if (encoding !== BASE64_BINARY) throw wssFault('InvalidSecurityToken', `Nonce EncodingType ${encoding}`);
    nonce = decodeBase64Value(nonceElement.text, 'Nonce', 'InvalidSecurityToken');
  }
  const createdElement = onlyChild(token, WSU_NS, 'Created');
  const createdText = createdElement?.text.trim();
  const created = createdText === undefined ? undefined : parseUtcDateTime(createdText);
  if (createdText !== undefined && !created)
    throw wssFault('InvalidSecurityToken', 'UsernameToken Created is not a dateTime');
  if (passwordType === 'digest') {
    if (!nonce || nonce.length < MIN_NONCE_BYTES)
      throw wssFault('InvalidSecurityToken', 'PasswordDigest without a Nonce');
    if (!created) throw wssFault('InvalidSecurityToken', 'PasswordDigest without Created');
  }
  return { username, password, passwordType, nonce, createdText, created };
}

/** Base64(SHA-1(nonce + created + password)), with created exactly as written in the message. */
export function passwordDigest(nonce: Buffer, createdText: string, password: string): string {
  return createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(createdText, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}

/**
 * True when the token proves the account's identity. Unknown, disabled and wrong-password cases all
 * take one scrypt run (text) so their timing has the same shape; the caller turns false into one
 * generic FailedAuthentication. Mode restrictions (text-only / digest-only) answer false too.
 */
export async function verifyUsernameToken(
  fields: UsernameTokenFields,
  account: AccountCredentials | undefined,
  window: TimeWindow,
  checkPassword: PasswordCheck = uncachedPasswordCheck,
): Promise<boolean> {
  if (fields.passwordType === 'digest') {
    checkCreatedInWindow(fields.created!, window, 'UsernameToken Created');
    const secret = account?.digestSecret;
    const expected = passwordDigest(fields.nonce!, fields.createdText!, secret ?? '\u0000no-secret');
    const matches = constantTimeEqual(expected, fields.password.trim());
    return (
      matches &&
      secret !== undefined &&
      account !== undefined &&
      !account.disabled &&
      account.policy.authModes !== 'text'
    );
  }
  if (fields.created) checkCreatedInWindow(fields.created, window, 'UsernameToken Created');
  const matches = await checkPassword(fields.username, fields.password, account?.passwordHash);
  return matches && account !== undefined && !account.disabled && account.policy.authModes !== 'digest';
}
