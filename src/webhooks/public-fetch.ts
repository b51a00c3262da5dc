import dns from 'node:dns';
import net from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';

/** Addresses a webhook may not reach: the server's own network, not the internet. */
const privateRanges = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  privateRanges.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  privateRanges.addSubnet(address, prefix, 'ipv6');

/** True for an address inside a private, loopback, link-local or reserved range. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return privateRanges.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: never reachable
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return privateRanges.check(mapped[1] as string, 'ipv4');
  return privateRanges.check(address, 'ipv6');
}

/**
 * A fetch that reaches public addresses only (against SSRF: an affiliate's webhook URL
 * pointed at the server's own network). The check is made on the addresses the connection
 * is actually opened to — the DNS answer is filtered inside the connect step, so a name
 * that resolves to a public address when checked and a private one when used (rebinding)
 * cannot slip through; a literal address in the URL is checked before anything is sent.
 */
export function publicOnlyFetch(): typeof fetch {
  const agent = new Agent({
    connect: {
      lookup: (hostname, options, callback) => {
        dns.lookup(hostname, { all: true, family: options.family ?? 0 }, (error, found) => {
          if (error) return callback(error, '', 0);
          const usable = found.filter((a) => !isPrivateAddress(a.address));
          if (usable.length === 0)
            return callback(
              new Error(
                `${hostname} resolves to a private address: webhooks reach public ones only`,
              ),
              '',
              0,
            );
          if (options.all)
            return (callback as unknown as (e: null, a: typeof usable) => void)(null, usable);
          const first = usable[0] as dns.LookupAddress;
          callback(null, first.address, first.family);
        });
      },
    },
  });
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host) && isPrivateAddress(host))
      throw new TypeError(`${host} is a private address: webhooks reach public ones only`);
    return undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Response;
  }) as typeof fetch;
}

/** How the server's deliveries connect: public addresses only, unless the config allows. */
export function webhookFetch(config: { webhooksAllowPrivate: boolean }): {
  fetch?: typeof fetch;
} {
  return config.webhooksAllowPrivate ? {} : { fetch: publicOnlyFetch() };
}
