// Ids the sync engine makes from its injected random source, so the simulator stays deterministic.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A url-safe client id (22 characters, 132 bits). */
export function newClientId(random: () => number): string {
  let s = '';
  for (let i = 0; i < 22; i++) s += ALPHABET[Math.floor(random() * 64)] ?? 'A';
  return s;
}

/** A UUID v4 from `random` (the simulator stays deterministic). */
export function newUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
