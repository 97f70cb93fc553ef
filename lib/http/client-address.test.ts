// one database is enough: uses no database
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { clientAddress, isTrustedProxy, parseTrustProxy, throttleNetwork } from '@/lib/http/client-address'

const off = parseTrustProxy('off')
const loopback = parseTrustProxy('loopback')

test('off: the socket peer, whatever the headers say', () => {
  assert.equal(clientAddress('203.0.113.7', '198.51.100.1', off), '203.0.113.7')
  assert.equal(clientAddress('::ffff:127.0.0.1', '198.51.100.1', off), '127.0.0.1')
  assert.equal(clientAddress('::ffff:7f00:1', '198.51.100.1', off), '127.0.0.1')
  assert.equal(clientAddress(undefined, '198.51.100.1', loopback), undefined)
})

test('loopback: a local proxy vouches for the hop it appended, not for what the client wrote', () => {
  assert.equal(clientAddress('127.0.0.1', '198.51.100.1', loopback), '198.51.100.1')
  assert.equal(clientAddress('127.0.0.1', '6.6.6.6, 198.51.100.1', loopback), '198.51.100.1')
  // a remote peer is not trusted: its header is ignored
  assert.equal(clientAddress('203.0.113.7', '6.6.6.6', loopback), '203.0.113.7')
  // no header: the proxy itself
  assert.equal(clientAddress('::1', undefined, loopback), '::1')
  // garbage stops the walk at the last address vouched for
  assert.equal(clientAddress('127.0.0.1', 'not-an-ip', loopback), '127.0.0.1')
  assert.equal(clientAddress('127.0.0.1', ['6.6.6.6', '198.51.100.1'], loopback), '198.51.100.1')
})

test('addresses and networks: each trusted hop passes the word on, the first untrusted one is the client', () => {
  const trust = parseTrustProxy('10.0.0.0/8, 192.0.2.10, 2001:db8::/32')
  assert.equal(clientAddress('10.1.2.3', '6.6.6.6, 198.51.100.1, 192.0.2.10', trust), '198.51.100.1')
  assert.equal(clientAddress('2001:db8::5', '198.51.100.9', trust), '198.51.100.9')
  assert.equal(clientAddress('192.0.2.11', '198.51.100.1', trust), '192.0.2.11')
})

test('a number of hops: that many proxies nearest the server, whatever their addresses', () => {
  const one = parseTrustProxy('1')
  assert.equal(clientAddress('203.0.113.7', '6.6.6.6, 198.51.100.1', one), '198.51.100.1')
  const two = parseTrustProxy('2')
  assert.equal(clientAddress('203.0.113.7', '6.6.6.6, 198.51.100.1, 10.0.0.2', two), '198.51.100.1')
  // fewer hops than configured: the furthest one there is
  assert.equal(clientAddress('203.0.113.7', '198.51.100.1', two), '198.51.100.1')
  assert.equal(clientAddress('203.0.113.7', undefined, two), '203.0.113.7')
  assert.equal(clientAddress('203.0.113.7', '198.51.100.1', parseTrustProxy('0')), '203.0.113.7')
})

test('bad settings are refused with the entry named', () => {
  for (const bad of ['everyone', '10.0.0.0/33', '10.0.0.1/8/1', '999.1.1.1', '33', 'loopback, nope']) {
    assert.throws(() => parseTrustProxy(bad), Error, bad)
  }
})

test('throttling counts an IPv4 address alone, an IPv6 address by its network, an IPv4-mapped one as IPv4', () => {
  assert.equal(throttleNetwork('198.51.100.7', 64), '198.51.100.7')
  assert.equal(throttleNetwork('2001:db8:1:2:aaaa:bbbb:cccc:dddd', 64), '2001:db8:1:2::/64')
  assert.equal(throttleNetwork('2001:db8:1:2::1', 64), '2001:db8:1:2::/64')
  assert.equal(throttleNetwork('2001:db8:1:3::1', 64), '2001:db8:1:3::/64')
  assert.equal(throttleNetwork('2001:db8:1:2ff::1', 56), '2001:db8:1:200::/56')
  assert.equal(throttleNetwork('2001:db8::1', 128), '2001:db8::1/128')
  assert.equal(throttleNetwork('fe80::1%eth0', 64), 'fe80::/64')
  assert.equal(throttleNetwork('::ffff:198.51.100.7', 64), '198.51.100.7')
  assert.equal(throttleNetwork('::ffff:c633:6407', 64), '198.51.100.7')
  // not an address (never from clientAddress): its own counter
  assert.equal(throttleNetwork('127.1', 64), '127.1')
  assert.equal(throttleNetwork('unknown', 64), 'unknown')
})

test('a trusted proxy is told apart by its address, by the number of hops (every peer), or not at all', () => {
  assert.equal(isTrustedProxy('127.0.0.1', parseTrustProxy('loopback')), true)
  assert.equal(isTrustedProxy('::ffff:127.0.0.1', parseTrustProxy('loopback')), true)
  assert.equal(isTrustedProxy('203.0.113.9', parseTrustProxy('loopback')), false)
  assert.equal(isTrustedProxy('10.1.2.3', parseTrustProxy('10.1.0.0/16')), true)
  assert.equal(isTrustedProxy('203.0.113.9', parseTrustProxy('1')), true)
  assert.equal(isTrustedProxy('127.0.0.1', parseTrustProxy('off')), false)
})
