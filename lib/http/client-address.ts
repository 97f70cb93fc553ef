import { BlockList, isIP } from 'node:net'

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

const v4 = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')

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
 * Whether the peer is a proxy that TRUST_PROXY lets speak for others: its connections
 * carry many clients, so limits per address do not apply to it.
 */
export function isTrustedProxy(peer: string, trust: TrustProxy): boolean {
  if (trust.kind === 'off') return false
  if (trust.kind === 'hops') return true
  return trusted(trust, v4(peer))
}
