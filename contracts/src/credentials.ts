import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Device secrets are 256-bit random tokens, so a single SHA-256 is the right hash (as for API
 * tokens): a slow password KDF would only make 10,000 reconnecting devices expensive.
 * Server stores and hands out only the hash; the gateway verifies against it.
 */
export const SECRET_HASH_PREFIX = 'sha256:';

export function generateDeviceSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashDeviceSecret(secret: string): string {
  return SECRET_HASH_PREFIX + createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function verifyDeviceSecret(secret: string, storedHash: string): boolean {
  const candidate = Buffer.from(hashDeviceSecret(secret));
  const stored = Buffer.from(storedHash);
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}
