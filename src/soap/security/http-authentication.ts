/**
 * Authentication the HTTP way, for bindings without a SOAP header (the JSON binding), onto the same
 * partner identities and policies as WS-Security: mutual TLS with a registered client certificate, else
 * HTTP Basic with the partner's password, verified exactly like a UsernameToken PasswordText (the same
 * scrypt check, the same refusal of unknown, disabled and digest-only partners, one generic failure).
 *
 * Rules (docs/json-binding.md):
 * - A client certificate the TLS layer accepted and the store knows (SHA-256 thumbprint), valid now, not
 *   revoked, its partner enabled: that partner, authenticatedBy 'mTLS'. A presented certificate the store
 *   does not know falls through to Basic.
 * - Basic needs a secure channel: the request URL as the client used it must be https (a trusted proxy's
 *   X-Forwarded-Proto counts), unless the endpoint is configured to accept it over plain HTTP (a TLS
 *   proxy the service cannot see, or a development machine). Otherwise 403, and the password is not looked at.
 * - A partner whose policy requires signed messages cannot authenticate with a password: only with mTLS.
 * - Wrong credentials answer the WS-Security FailedAuthentication fault, so the authentication-failure
 *   limiter counts them for the same address and username as SOAP attempts.
 */
import { createHash } from 'node:crypto';
import { SoapFault, type QName } from '../fault';
import type { SoapExchange, SoapInterceptor } from '../pipeline';
import { wssFault } from './faults';
import type { CredentialStore } from './store';
import { verifyUsernameToken } from './username-token';

export const HTTP_AUTHENTICATION_INTERCEPTOR = 'http-authentication';
const HTTP_AUTH_NS = 'urn:soap-engine:http-authentication';
export const AUTHENTICATION_REQUIRED: QName = { ns: HTTP_AUTH_NS, local: 'AuthenticationRequired' };
export const INSECURE_TRANSPORT: QName = { ns: HTTP_AUTH_NS, local: 'InsecureTransport' };

const MAX_FIELD_LENGTH = 1024;

export interface HttpAuthenticationOptions {
  readonly store: CredentialStore;
  /** Accept Basic over plain HTTP (behind a TLS-terminating proxy not listed in trustedProxies, or in development). */
  readonly allowBasicOverHttp?: boolean;
  /** The realm announced in WWW-Authenticate. */
  readonly realm: string;
  readonly clock?: () => Date;
}

/** The user name and password of an `Authorization: Basic` header (RFC 7617, UTF-8); undefined when absent or not Basic. */
export function basicCredentials(
  header: string | string[] | undefined,
): { username: string; password: string } | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(value);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function httpAuthenticationInterceptor(options: HttpAuthenticationOptions): SoapInterceptor {
  const clock = options.clock ?? (() => new Date());
  const challenge = `Basic realm="${options.realm}", charset="UTF-8"`;
  const required = (reason: string): SoapFault =>
    new SoapFault({
      code: 'Sender',
      reason,
      subcode: AUTHENTICATION_REQUIRED,
      httpStatus: 401,
      httpHeaders: { 'WWW-Authenticate': challenge },
    });

  async function byCertificate(exchange: SoapExchange, der: Buffer): Promise<boolean> {
    const sha256Thumbprint = createHash('sha256').update(der).digest('hex');
    const registered = await options.store.findCertificate({ sha256Thumbprint });
    if (registered === undefined) return false;
    const now = clock();
    if (
      registered.disabled === true ||
      registered.revokedAt !== undefined ||
      now < registered.notBefore ||
      now > registered.notAfter
    ) {
      throw wssFault(
        'FailedAuthentication',
        'client certificate revoked, expired, not yet valid, or its partner is disabled',
      );
    }
    exchange.principal = { ...registered.principal, authenticatedBy: 'mTLS' };
    return true;
  }

  return {
    name: HTTP_AUTHENTICATION_INTERCEPTOR,
    async handleRequest(exchange: SoapExchange): Promise<void> {
      const certificate = exchange.request.clientCertificate;
      if (certificate !== undefined && (await byCertificate(exchange, certificate))) return;

      const header = exchange.request.httpHeaders.authorization;
      if (header === undefined)
        throw required('Authentication required: HTTP Basic over HTTPS, or a registered TLS client certificate');
      const credentials = basicCredentials(header);
      if (credentials === undefined) throw required('Unsupported Authorization header: use HTTP Basic');
      if (!options.allowBasicOverHttp && !exchange.request.endpointUrl.startsWith('https:')) {
        throw new SoapFault({
          code: 'Sender',
          reason: 'HTTP Basic authentication is accepted over HTTPS only',
          subcode: INSECURE_TRANSPORT,
          httpStatus: 403,
        });
      }
      const { username, password } = credentials;
      if (username === '' || username.length > MAX_FIELD_LENGTH || password.length > MAX_FIELD_LENGTH) {
        throw wssFault('FailedAuthentication', 'Basic user name empty, or user name or password too long');
      }
      const partner = await options.store.findAccountByUsername(username);
      // The UsernameToken PasswordText check itself: one scrypt run whether or not the partner exists.
      const verified = await verifyUsernameToken({ username, password, passwordType: 'text' }, partner, {
        now: clock(),
        maxAgeSeconds: 0,
        futureSkewSeconds: 0,
      });
      if (!verified || partner === undefined)
        throw wssFault('FailedAuthentication', `Basic authentication failed for ${username}`);
      if (partner.policy.requireSignature) {
        throw wssFault(
          'FailedAuthentication',
          `partner ${username} requires signed messages; a password alone does not satisfy its policy`,
        );
      }
      exchange.principal = { ...partner.principal, authenticatedBy: 'HTTP Basic' };
    },
  };
}
