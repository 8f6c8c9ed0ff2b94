/**
 * What this WS-Security implementation accepts, as WS-SecurityPolicy 1.2 alternatives for the served WSDL:
 *  - a UsernameToken (WSS UsernameToken Profile 1.0) over HTTPS: TransportBinding + SignedSupportingTokens;
 *  - an X.509 signature (AsymmetricBinding, Basic256Sha256: RSA-SHA256, SHA-256 digests, exc-c14n being the
 *    suite's default canonicalization) over the Body and the Timestamp (IncludeTimestamp), with the
 *    certificate in a BinarySecurityToken or referenced by key identifier, issuer/serial or thumbprint.
 * The per-partner policies (src/soap/security/store.ts) narrow these further (e.g. a signature required);
 * a WSDL has one policy for every partner, so it states what any partner may use.
 */
import { WSP_NS } from '../policy';

export const SP_NS = 'http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702';
const INCLUDE_ALWAYS_TO_RECIPIENT = `${SP_NS}/IncludeToken/AlwaysToRecipient`;
const INCLUDE_NEVER = `${SP_NS}/IncludeToken/Never`;

const NS = `xmlns:sp="${SP_NS}" xmlns:wsp="${WSP_NS}"`;
const nested = (inner: string) => `<wsp:Policy>${inner}</wsp:Policy>`;
const basic256Sha256 = `<sp:AlgorithmSuite>${nested('<sp:Basic256Sha256/>')}</sp:AlgorithmSuite>`;
const laxLayout = `<sp:Layout>${nested('<sp:Lax/>')}</sp:Layout>`;
const x509Token = (include: string) =>
  `<sp:X509Token sp:IncludeToken="${include}">${nested('<sp:WssX509V3Token10/>')}</sp:X509Token>`;

export const USERNAME_TOKEN_OVER_HTTPS: readonly string[] = [
  `<sp:TransportBinding ${NS}>${nested(
    `<sp:TransportToken>${nested(`<sp:HttpsToken>${nested('')}</sp:HttpsToken>`)}</sp:TransportToken>` +
      basic256Sha256 +
      laxLayout +
      '<sp:IncludeTimestamp/>',
  )}</sp:TransportBinding>`,
  `<sp:SignedSupportingTokens ${NS}>${nested(
    `<sp:UsernameToken sp:IncludeToken="${INCLUDE_ALWAYS_TO_RECIPIENT}">${nested('<sp:WssUsernameToken10/>')}</sp:UsernameToken>`,
  )}</sp:SignedSupportingTokens>`,
];

export const X509_SIGNATURE: readonly string[] = [
  `<sp:AsymmetricBinding ${NS}>${nested(
    `<sp:InitiatorToken>${nested(x509Token(INCLUDE_ALWAYS_TO_RECIPIENT))}</sp:InitiatorToken>` +
      `<sp:RecipientToken>${nested(x509Token(INCLUDE_NEVER))}</sp:RecipientToken>` +
      basic256Sha256 +
      laxLayout +
      '<sp:IncludeTimestamp/><sp:OnlySignEntireHeadersAndBody/>',
  )}</sp:AsymmetricBinding>`,
  `<sp:Wss11 ${NS}>${nested('<sp:MustSupportRefKeyIdentifier/><sp:MustSupportRefIssuerSerial/><sp:MustSupportRefThumbprint/>')}</sp:Wss11>`,
  `<sp:SignedParts ${NS}><sp:Body/></sp:SignedParts>`,
];
