import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import ipaddr from 'ipaddr.js';
import type { Config } from '../config.ts';

/** Whether the hop at `address`, `hop` steps from this node (0 = the peer), may say who is behind it. */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY as a trust function (the form Fastify and proxy-addr take): a hop count believes the nearest N hops
 * (safe only when nothing but those proxies can reach the node), a list believes exactly those addresses/CIDRs,
 * `false` believes nobody. Either way the client is the first address, walking X-Forwarded-For from the right,
 * that is not trusted — so an entry the client wrote itself on the left is never taken for it.
 */
export function proxyTrust(config: Pick<Config, 'TRUST_PROXY'>): ProxyTrust | false {
  const value = config.TRUST_PROXY;
  if (value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return proxyAddr.compile(value.split(',').map((a) => a.trim()));
}

const trustNobody: ProxyTrust = () => false;

/** The client's address of a raw request (Socket.IO handshakes), by the same rule Fastify's `request.ip` uses. */
export function clientAddress(req: IncomingMessage, trust: ProxyTrust | false): string {
  return proxyAddr(req, trust || trustNobody);
}

/**
 * The key per-client limits count under: an IPv4 address as it is, an IPv6 address by its /64 (one subscriber's
 * usual allocation — counting single IPv6 addresses would let one household rotate through 2^64 of them).
 */
export function clientKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}
