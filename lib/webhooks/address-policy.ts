import net from 'node:net'
import ipaddr from 'ipaddr.js'

// The addresses a webhook may be sent to unless WEBHOOK_ALLOW_PRIVATE allows any: ordinary
// public unicast ones. A merchant's endpoint is on the public internet; anything else could
// turn deliveries into requests into our own network (cloud metadata at 169.254.169.254).
// The policy is ipaddr.js's range(): only "unicast" passes, which leaves out every named
// block (private, loopback, link-local, shared, reserved, documentation, benchmarking,
// multicast, AS112, AMT …). An IPv6 address that carries an IPv4 one is judged by the IPv4
// address inside. lib/webhooks/address-policy.test.ts walks every row of the IANA IPv4 and
// IPv6 special-purpose registries.

/** IPv6 blocks that range() calls "unicast" in ipaddr.js 2.5.0, refused here. */
const UNNAMED_IPV6 = [
  // iana-ipv6-special-registry "100:0:0:1::/64 Dummy IPv6 Prefix" (RFC 9780)
  ipaddr.IPv6.parseCIDR('100:0:0:1::/64'),
]

// iana-ipv6-address-space: 2000::/3 is the only block allocated for global unicast; the
// rest that range() does not name is reserved by the IETF and routed nowhere
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3')

const ipv4At = (ip: ipaddr.IPv6, firstByte: number, invert = false) =>
  new ipaddr.IPv4(ip.toByteArray().slice(firstByte, firstByte + 4).map((b) => (invert ? b ^ 0xff : b)))

/**
 * The IPv4 addresses an IPv6 address carries, when it is a way of reaching IPv4: then those
 * decide. undefined for a native IPv6 address.
 */
function carriedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4[] | undefined {
  switch (ip.range()) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d, IPv4-translated
      return [ipv4At(ip, 12)]
    case 'rfc6052':
      // 64:ff9b::/96 (the well-known NAT64 prefix) carries the address in its last 32 bits.
      // iana-ipv6-special-registry "64:ff9b:1::/48 IPv4-IPv6 Translat." (RFC 8215) is for local
      // use: where the address sits depends on the operator's prefix length, and the
      // translator is inside someone's own network, so it is refused whatever it carries.
      return ip.match(ipaddr.IPv6.parseCIDR('64:ff9b::/96')) ? [ipv4At(ip, 12)] : [new ipaddr.IPv4([0, 0, 0, 0])]
    case '6to4': // 2002:AABB:CCDD::/48 for a.b.c.d (RFC 3056)
      return [ipv4At(ip, 2)]
    case 'teredo': // 2001:0:<server>:<flags>:<port>:<client, inverted> (RFC 4380): both must be public
      return [ipv4At(ip, 4), ipv4At(ip, 12, true)]
    case 'unicast':
      // ::a.b.c.d, IPv4-compatible (RFC 4291 §2.5.5.1, deprecated): range() names only :: and ::1
      // of ::/96, so the rest is judged by the IPv4 address too
      return ip.match(ipaddr.IPv6.parseCIDR('::/96')) ? [ipv4At(ip, 12)] : undefined
    default:
      return undefined
  }
}

/** Whether an IP address is a public one that a webhook may be sent to. */
export function isPublicAddress(address: string): boolean {
  // node's parser first: ipaddr.js also reads the old shorthand forms ("127.1", "0x7f.1")
  const family = net.isIP(address)
  if (family === 0 || !ipaddr.isValid(address)) return false
  if (family === 4) return ipaddr.IPv4.parse(address).range() === 'unicast'
  const ip = ipaddr.IPv6.parse(address)
  const carried = carriedIPv4(ip)
  if (carried) return carried.every((v4) => v4.range() === 'unicast')
  return ip.range() === 'unicast' && ip.match(GLOBAL_UNICAST) && !UNNAMED_IPV6.some((block) => ip.match(block))
}
