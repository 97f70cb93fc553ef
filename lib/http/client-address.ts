import { BlockList, isIP } from 'node:net'
import ipaddr from 'ipaddr.js'

/**
 * Which peers may say who the client is (TRUST_PROXY):
 *   off            nobody: the client is the socket's peer
 *   loopback       a proxy on this machine (the default: a local TLS terminator)
 *   <n>            the n proxies nearest the server, whatever their addresses
 *   <a>,<b/cidr>…  proxies at these addresses or networks
 * The same rule as Express's "trust proxy": X-Forwarded-For is read from the right,
 * each trusted hop passing the word to the one before it; the first address not
 * vouched for is the client. Entries further left were written by the client itself.
 */
export type TrustProxy = { kind: 'off' } | { kind: 'hops'; hops: number } | { kind: 'addresses'; list: BlockList; text: string }

/** An IPv4-mapped IPv6 address (::ffff:192.0.2.1, ::ffff:c000:201) as the IPv4 address it carries; anything else as it is. */
function v4(address: string): string {
  if (isIP(address) !== 6 || !ipaddr.IPv6.isValid(address)) return address
  const ip = ipaddr.IPv6.parse(address)
  return ip.isIPv4MappedAddress() ? ip.toIPv4Address().toString() : address
}

export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim()
  if (text === '' || text === 'off' || text === 'false') return { kind: 'off' }
  if (/^\d+$/.test(text)) {
    const hops = Number(text)
    if (hops === 0) return { kind: 'off' }
    if (hops > 32) throw new Error('at most 32 proxies')
    return { kind: 'hops', hops }
  }
  const list = new BlockList()
  for (const entry of text.split(',').map((e) => e.trim())) {
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4')
      list.addAddress('::1', 'ipv6')
      continue
    }
    const [address, bits, extra] = entry.split('/')
    const family = isIP(address)
    const prefix = bits === undefined ? undefined : /^\d+$/.test(bits) ? Number(bits) : NaN
    if (!family || extra !== undefined || (prefix !== undefined && (Number.isNaN(prefix) || prefix > (family === 4 ? 32 : 128)))) {
      throw new Error(`"${entry}" is not off, loopback, a number of proxies, or an IP address or CIDR`)
    }
    const type = family === 4 ? 'ipv4' : 'ipv6'
    if (prefix === undefined) list.addAddress(address, type)
    else list.addSubnet(address, prefix, type)
  }
  return { kind: 'addresses', list, text }
}

function trusted(trust: Extract<TrustProxy, { kind: 'addresses' }>, address: string): boolean {
  const family = isIP(address)
  return family !== 0 && trust.list.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/**
 * The client's address, for throttling and the login records of both doors: the
 * socket's peer, or, through trusted proxies, the address the nearest untrusted hop
 * was seen at. A malformed X-Forwarded-For entry ends the walk at the hop before it.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trust: TrustProxy): string | undefined {
  const socket = peer === undefined ? undefined : v4(peer)
  if (trust.kind === 'off' || socket === undefined) return socket
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '')
  const hops = header.split(',').map((e) => v4(e.trim())).filter((e) => e !== '')
  // nearest first: the peer, then what each proxy appended
  const chain = [socket, ...hops.reverse()]
  let client = socket
  for (let i = 1; i < chain.length; i++) {
    // chain[i - 1] passes the word on if it is a trusted proxy
    const vouched = trust.kind === 'hops' ? i <= trust.hops : trusted(trust, client)
    if (!vouched || isIP(chain[i]) === 0) break
    client = chain[i]
  }
  return client
}

/**
 * The network a client's login attempts are counted under: an IPv4 address on its own,
 * an IPv6 address by its first `ipv6Prefix` bits (one subscriber is given a whole /64,
 * 2^64 addresses to try from), an IPv4-mapped one as its IPv4 address. Text that is no
 * address counts as itself.
 */
export function throttleNetwork(address: string, ipv6Prefix: number): string {
  if (isIP(address) === 0 || !ipaddr.isValid(address)) return address
  const ip = ipaddr.process(address)
  if (ip.kind() === 'ipv4') return ip.toString()
  const mask = ipaddr.IPv6.subnetMaskFromPrefixLength(ipv6Prefix).toByteArray()
  const network = ipaddr.fromByteArray(ip.toByteArray().map((byte, i) => byte & mask[i]))
  return `${network.toString()}/${ipv6Prefix}`
}

/**
 * Whether the peer is a proxy that TRUST_PROXY lets speak for others: its connections
 * carry many clients, so limits per address do not apply to it.
 */
export function isTrustedProxy(peer: string, trust: TrustProxy): boolean {
  if (trust.kind === 'off') return false
  if (trust.kind === 'hops') return true
  return trusted(trust, v4(peer))
}
