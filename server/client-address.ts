// Who is calling, for rate limits and the audit log. The socket peer, unless that peer is one of
// the proxies named in TRUST_PROXY: then the nearest address it forwarded (X-Forwarded-For read
// from the right, skipping trusted proxies), so clients behind the recommended TLS proxy do not
// share one bucket while a client elsewhere still cannot choose its own key.
import { isIP } from 'node:net';

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`) as the IPv4 address it is. */
function unmap(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m?.[1] ?? address;
}

/**
 * The client's address.
 * 1. Start from the socket peer.
 * 2. While the current address is a trusted proxy, step to the next address to the left in
 *    X-Forwarded-For (the one that proxy saw); stop at a malformed entry.
 */
export function clientAddress(
  socket: string,
  forwardedFor: string | undefined,
  trusted: ReadonlySet<string>,
): string {
  let current = unmap(socket);
  if (!trusted.has(current) || !forwardedFor) return current;
  const hops = forwardedFor
    .split(',')
    .map((h) => unmap(h.trim()))
    .reverse();
  for (const hop of hops) {
    if (isIP(hop) === 0) break;
    current = hop;
    if (!trusted.has(current)) break;
  }
  return current;
}

/**
 * The rate-limit key of an address: an IPv6 client is keyed by its /64 (one site or one home
 * gets a /64 and can pick any address in it), an IPv4 client by its address.
 */
export function rateKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}

/** TRUST_PROXY as a set of addresses (comma-separated; IPv4-mapped forms unmapped). */
export function trustedProxies(setting: string | undefined): Set<string> {
  return new Set(
    (setting ?? '')
      .split(',')
      .map((a) => unmap(a.trim()))
      .filter((a) => isIP(a) !== 0),
  );
}

/** Whether a socket peer is this machine (127.0.0.0/8, ::1, or their IPv4-mapped forms). */
export function isLoopback(address: string): boolean {
  const a = unmap(address);
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}
