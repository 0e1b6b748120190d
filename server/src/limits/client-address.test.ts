import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, clientKey, proxyTrust } from './client-address.ts';

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  }) as unknown as IncomingMessage;

describe('client address', () => {
  it('believes X-Forwarded-For only from trusted hops, walking from the right', () => {
    const forged = request('10.0.0.5', '6.6.6.6, 203.0.113.7');
    expect(clientAddress(forged, proxyTrust({ TRUST_PROXY: '1' }))).toBe('203.0.113.7');
    expect(clientAddress(forged, proxyTrust({ TRUST_PROXY: '2' }))).toBe('6.6.6.6');
    expect(clientAddress(forged, proxyTrust({ TRUST_PROXY: '10.0.0.0/24' }))).toBe('203.0.113.7');
    expect(clientAddress(forged, proxyTrust({ TRUST_PROXY: '10.0.1.5' }))).toBe('10.0.0.5');
    expect(clientAddress(forged, proxyTrust({ TRUST_PROXY: 'false' }))).toBe('10.0.0.5');
  });

  it('counts IPv6 clients by their /64 and IPv4-mapped addresses as IPv4', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb::9')).toBe('2001:db8:1:2::/64');
    expect(clientKey('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(clientKey('198.51.100.4')).toBe('198.51.100.4');
  });
});
