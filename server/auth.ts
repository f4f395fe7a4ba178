// Secrets of the sync server: invite codes and device bearer tokens. Only SHA-256 digests are
// stored; tokens are looked up by their public device id and the digests compared in constant time.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A new invite code (192 random bits) and the digest to store. */
export function newInviteCode(): { code: string; codeHash: string } {
  const code = `qsi-inv-${randomBytes(24).toString('base64url')}`;
  return { code, codeHash: sha256Hex(code) };
}

/** A new device token `qsi_<deviceId>.<256-bit secret>` and what the server keeps of it. */
export function newDeviceToken(): { token: string; deviceId: string; tokenHash: string } {
  const deviceId = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { token: `qsi_${deviceId}.${secret}`, deviceId, tokenHash: sha256Hex(secret) };
}

const TOKEN_RE = /^qsi_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

/** Split a presented token into its device id and the digest of its secret; undefined if malformed. */
export function parseDeviceToken(token: string): { deviceId: string; secretHash: string } | undefined {
  const m = TOKEN_RE.exec(token);
  if (!m?.[1] || !m[2]) return undefined;
  return { deviceId: m[1], secretHash: sha256Hex(m[2]) };
}

/** Constant-time comparison of two hex digests of equal length. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
