// one database is enough: uses no database
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isPublicAddress } from '@/lib/webhooks/address-policy'

// Every row of the IANA special-purpose address registries (iana-ipv4-special-registry,
// iana-ipv6-special-registry), each by its first address and one further in: none may be a
// webhook's target, whatever the row says of global reachability: a merchant's endpoint is
// an ordinary public address. Plus the multicast blocks, which those registries leave to others.
const IPV4_ROWS: [row: string, addresses: string[]][] = [
  ['0.0.0.0/8 "This network"', ['0.0.0.0', '0.1.2.3']],
  ['0.0.0.0/32 "This host on this network"', ['0.0.0.0']],
  ['10.0.0.0/8 Private-Use', ['10.0.0.0', '10.255.255.254']],
  ['100.64.0.0/10 Shared Address Space', ['100.64.0.1', '100.127.255.254']],
  ['127.0.0.0/8 Loopback', ['127.0.0.1', '127.255.255.254']],
  ['169.254.0.0/16 Link Local', ['169.254.169.254', '169.254.0.1']],
  ['172.16.0.0/12 Private-Use', ['172.16.0.1', '172.31.255.254']],
  ['192.0.0.0/24 IETF Protocol Assignments', ['192.0.0.0', '192.0.0.200']],
  ['192.0.0.0/29 IPv4 Service Continuity Prefix', ['192.0.0.1']],
  ['192.0.0.8/32 IPv4 dummy address', ['192.0.0.8']],
  ['192.0.0.9/32 Port Control Protocol Anycast', ['192.0.0.9']],
  ['192.0.0.10/32 Traversal Using Relays around NAT Anycast', ['192.0.0.10']],
  ['192.0.0.170/32, 192.0.0.171/32 NAT64/DNS64 Discovery', ['192.0.0.170', '192.0.0.171']],
  ['192.0.2.0/24 Documentation (TEST-NET-1)', ['192.0.2.1', '192.0.2.254']],
  ['192.31.196.0/24 AS112-v4', ['192.31.196.1']],
  ['192.52.193.0/24 AMT', ['192.52.193.1']],
  ['192.88.99.0/24 Deprecated (6to4 Relay Anycast)', ['192.88.99.1']],
  ['192.88.99.2/32 6a44-relay anycast address', ['192.88.99.2']],
  ['192.168.0.0/16 Private-Use', ['192.168.0.1', '192.168.255.254']],
  ['192.175.48.0/24 Direct Delegation AS112 Service', ['192.175.48.1']],
  ['198.18.0.0/15 Benchmarking', ['198.18.0.1', '198.19.255.254']],
  ['198.51.100.0/24 Documentation (TEST-NET-2)', ['198.51.100.1']],
  ['203.0.113.0/24 Documentation (TEST-NET-3)', ['203.0.113.1']],
  ['240.0.0.0/4 Reserved', ['240.0.0.1', '255.255.255.254']],
  ['255.255.255.255/32 Limited Broadcast', ['255.255.255.255']],
  ['224.0.0.0/4 Multicast (iana-multicast-addresses)', ['224.0.0.1', '239.255.255.255']],
]

const IPV6_ROWS: [row: string, addresses: string[]][] = [
  ['::1/128 Loopback Address', ['::1']],
  ['::/128 Unspecified Address', ['::']],
  ['::ffff:0:0/96 IPv4-mapped Address', ['::ffff:0.0.0.0', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254']],
  ['64:ff9b::/96 IPv4-IPv6 Translat.', ['64:ff9b::', '64:ff9b::10.0.0.1', '64:ff9b::127.0.0.1', '64:ff9b::a9fe:a9fe']],
  ['64:ff9b:1::/48 IPv4-IPv6 Translat. (local use)', ['64:ff9b:1::', '64:ff9b:1::808:808', '64:ff9b:1:ffff::1']],
  ['100::/64 Discard-Only Address Block', ['100::', '100::ffff:ffff:ffff:ffff']],
  ['100:0:0:1::/64 Dummy IPv6 Prefix', ['100:0:0:1::', '100:0:0:1::1']],
  ['2001::/23 IETF Protocol Assignments', ['2001:100::1', '2001:1ff::1']],
  ['2001::/32 TEREDO', ['2001::', '2001:0:4136:e378:8000:63bf:3fff:fdd2']],
  ['2001:1::1/128 Port Control Protocol Anycast', ['2001:1::1']],
  ['2001:1::2/128 Traversal Using Relays around NAT Anycast', ['2001:1::2']],
  ['2001:1::3/128 DNS-SD Service Registration Protocol Anycast', ['2001:1::3']],
  ['2001:2::/48 Benchmarking', ['2001:2::1', '2001:2:0:ffff::1']],
  ['2001:3::/32 AMT', ['2001:3::1']],
  ['2001:4:112::/48 AS112-v6', ['2001:4:112::1']],
  ['2001:10::/28 Deprecated (previously ORCHID)', ['2001:10::1']],
  ['2001:20::/28 ORCHIDv2', ['2001:20::1']],
  ['2001:30::/28 Drone Remote ID Protocol Entity Tags (DETs) Prefix', ['2001:30::1']],
  ['2001:db8::/32 Documentation', ['2001:db8::1', '2001:db8:ffff::1']],
  ['2002::/16 6to4', ['2002::', '2002:a00:1::1', '2002:7f00:1::1', '2002:c0a8:101::1', '2002:a9fe:a9fe::1']],
  ['2620:4f:8000::/48 Direct Delegation AS112 Service', ['2620:4f:8000::1']],
  ['3fff::/20 Documentation', ['3fff::1', '3fff:fff::1']],
  ['5f00::/16 Segment Routing (SRv6) SIDs', ['5f00::1']],
  ['fc00::/7 Unique-Local', ['fc00::1', 'fd12:3456::1']],
  ['fe80::/10 Link-Local Unicast', ['fe80::1', 'febf::1']],
  // not in the special-purpose registry, but no endpoint either
  ['::/96 IPv4-compatible (RFC 4291, deprecated)', ['::127.0.0.1', '::10.0.0.1', '::169.254.169.254', '::2']],
  ['::ffff:0:0:0/96 IPv4-translated (RFC 6145)', ['::ffff:0:127.0.0.1', '::ffff:0:a00:1']],
  ['fec0::/10 Site-Local (RFC 3879, deprecated)', ['fec0::1']],
  ['ff00::/8 Multicast (ipv6-multicast-addresses)', ['ff02::1', 'ff05::1:3']],
  ['outside 2000::/3, the only block allocated for global unicast (ipv6-address-space)', ['4000::1', 'e000::1', '1::1']],
]

test('no address of a special-purpose registry row is a webhook target', () => {
  const allowed = [...IPV4_ROWS, ...IPV6_ROWS].flatMap(([row, addresses]) => addresses.filter(isPublicAddress).map((a) => `${a} (${row})`))
  assert.deepEqual(allowed, [])
})

test('an IPv6 address that carries an IPv4 address is judged by the IPv4 address inside', () => {
  for (const address of [
    '::ffff:8.8.8.8', // IPv4-mapped
    '::ffff:0:8.8.8.8', // IPv4-translated
    '::8.8.8.8', // IPv4-compatible
    '64:ff9b::8.8.8.8', // NAT64, well-known prefix
    '2002:808:808::1', // 6to4 of 8.8.8.8
    '2001:0:808:808:0:0:fefe:fefe', // Teredo: server 8.8.8.8, client 1.1.1.1 (stored inverted)
  ]) {
    assert.equal(isPublicAddress(address), true, address)
  }
  // Teredo with a private client or server address
  assert.equal(isPublicAddress('2001:0:808:808:0:0:f5ff:fffe'), false, 'Teredo client 10.0.0.1')
  assert.equal(isPublicAddress('2001:0:a00:1:0:0:fefe:fefe'), false, 'Teredo server 10.0.0.1')
})

test('ordinary public addresses are webhook targets; text that is no address is not', () => {
  for (const address of ['8.8.8.8', '1.1.1.1', '93.184.215.14', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '2400:cb00::1']) {
    assert.equal(isPublicAddress(address), true, address)
  }
  for (const text of ['not an ip', '', '127.1', '0x7f.0.0.1', '2130706433', '8.8.8.8/32', '[::1]']) assert.equal(isPublicAddress(text), false, text)
})
