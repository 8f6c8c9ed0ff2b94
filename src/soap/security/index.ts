/**
 * The WS-Security entry point of the engine: the interceptor, the storage interfaces an application
 * implements (CredentialStore, ReplayCache) with their in-memory and Redis versions, and the helpers a
 * credential store needs (password hashing, sealed secrets, certificate facts). Code outside src/soap
 * imports WS-Security from here only; the other files of this folder are internal.
 */
export { wsSecurityInterceptor, WS_SECURITY_INTERCEPTOR, WSSE_SECURITY_QNAME } from './interceptor';
export type { WsSecurityOptions, WsSecurityState } from './interceptor';
export { DEFAULT_SECURITY_POLICY, InMemoryCredentialStore, securityPolicy } from './store';
export type {
  AccountCredentials,
  CertificateRef,
  CredentialStore,
  InMemoryAccount,
  InMemoryCertificate,
  RegisteredCertificate,
  SecurityPolicy,
  UsernameTokenMode,
} from './store';
export { InMemoryReplayCache, RedisReplayCache } from './replay-cache';
export type { InMemoryReplayCacheOptions, ReplayCache } from './replay-cache';
export type { ServiceKey } from './response-signer';
export { SecretBox, SecretBoxError, parseSecretBoxKey } from './secret-box';
export { hashPassword, verifyPassword } from './password-hash';
export { cachedPasswordCheck, uncachedPasswordCheck } from './verified-passwords';
export type { CachedPasswordCheckOptions, PasswordCheck, VerifiedCredentialStore } from './verified-passwords';
export { CertificateFormatError, describeCertificate, derToPem } from './certificate-info';
export type { CertificateFacts } from './certificate-info';
export { WssFault, wssFault } from './faults';
export {
  AUTHENTICATION_REQUIRED,
  HTTP_AUTHENTICATION_INTERCEPTOR,
  INSECURE_TRANSPORT,
  basicCredentials,
  httpAuthenticationInterceptor,
} from './http-authentication';
export type { HttpAuthenticationOptions } from './http-authentication';
export type { WssFaultCode } from './faults';
