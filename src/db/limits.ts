/**
 * Maximum lengths (in characters) of the bounded string columns. They follow the contract's XSD limits
 * where the contract has one, and keep every index key small enough for MySQL/MariaDB utf8mb4 (4 bytes
 * per character, 3072-byte keys) and SQL Server (nvarchar = 2 bytes per character, 900-byte clustered
 * and 1700-byte nonclustered keys).
 */
export const LENGTH = {
  id: 36, // UUID text
  username: 64,
  displayName: 200,
  roles: 200,
  passwordHash: 255,
  digestSecret: 512,
  authModes: 8,
  sku: 32,
  productName: 200,
  description: 2000,
  category: 64,
  currency: 3,
  partnerOrderRef: 64,
  partnerLineRef: 64,
  contentHash: 128,
  status: 16,
  addressName: 200,
  addressLine: 200,
  city: 100,
  region: 100,
  postalCode: 32,
  countryCode: 2,
  note: 2000,
  carrier: 64,
  trackingNumber: 128,
  reason: 500,
  action: 32,
  actor: 100,
  messageId: 200,
  detail: 2000,
  operation: 64,
  thumbprintSha1: 40,
  thumbprintSha256: 64,
  subjectKeyIdentifier: 64,
  /** issuer DN + serial form one unique key: 255*2 + 64*2 = 638 bytes on SQL Server, 1276 on utf8mb4. */
  issuer: 255,
  serial: 64,
} as const;
