import dns from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import { isPublicAddress } from '@/lib/webhooks/address-policy'

export type PostLimits = {
  timeoutMs: number
  maxResponseBytes: number
  /** WEBHOOK_ALLOW_PRIVATE: private, loopback and link-local targets (development and tests only) */
  allowPrivate: boolean
}

/** The receiver's answer: its HTTP status; the body is read up to the cap and dropped. */
export type PostResult = { status: number }

/** A delivery refused before any byte left: the target is not allowed. */
export class TargetRefused extends Error {
  override name = 'TargetRefused'
}

/**
 * Resolves like the system does, then refuses when any address is not public. The
 * connection is made to the address checked here, so a name that resolves to a
 * public address for the check and a private one for the connection (DNS
 * rebinding) cannot slip through.
 */
function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0)
      const list = addresses as dns.LookupAddress[]
      const refused = allowPrivate ? undefined : list.find((a) => !isPublicAddress(a.address))
      if (refused) return callback(new TargetRefused(`${hostname} resolves to a private, loopback or link-local address`), '', 0)
      if (list.length === 0) return callback(new TargetRefused(`${hostname} has no address`), '', 0)
      if ((options as dns.LookupAllOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list)
      callback(null, list[0].address, list[0].family)
    })
  }
}

/**
 * POSTs one webhook to a public address only (lib/webhooks/address-policy.ts), judged on
 * the addresses the name resolves to and on the peer actually connected to. Never follows
 * a redirect (a 3xx is an answer like any other non-2xx, so no second address is ever
 * reached), gives up after `timeoutMs` from start to the answer's last byte, and reads at
 * most `maxResponseBytes` of the answer before cutting the connection.
 */
export function safePost(target: string, headers: Record<string, string>, body: string, limits: PostLimits): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const url = new URL(target)
    const host = url.hostname.replace(/^\[|\]$/g, '')
    if (net.isIP(host) && !limits.allowPrivate && !isPublicAddress(host)) {
      return reject(new TargetRefused(`${host} is a private, loopback or link-local address`))
    }
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined
    if (!client) return reject(new TargetRefused(`${url.protocol} is not a webhook protocol`))
    const request = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'fcdeduction-webhooks/1' },
      lookup: guardedLookup(limits.allowPrivate),
      agent: false,
    })
    // the peer the socket reached, checked again before the request is written: the
    // lookup above hands out only checked addresses, and this holds whatever connects
    request.on('socket', (socket) => {
      const check = () => {
        const peer = socket.remoteAddress
        if (!limits.allowPrivate && (peer === undefined || !isPublicAddress(peer))) {
          socket.destroy(new TargetRefused(`${host} connected to ${peer ?? 'an unknown address'}, which is not public`))
        }
      }
      if (socket.connecting) socket.once('connect', check)
      else check()
    })
    const timer = setTimeout(() => request.destroy(new Error(`no complete answer within ${limits.timeoutMs} ms`)), limits.timeoutMs)
    const finish = (outcome: () => void) => {
      clearTimeout(timer)
      outcome()
    }
    request.on('error', (error) => finish(() => reject(error)))
    request.on('response', (response) => {
      let received = 0
      response.on('data', (chunk: Buffer) => {
        received += chunk.length
        // enough: the status is the answer; a receiver streaming without end must not hold the worker
        if (received > limits.maxResponseBytes) {
          response.destroy()
          finish(() => resolve({ status: response.statusCode ?? 0 }))
        }
      })
      response.on('end', () => finish(() => resolve({ status: response.statusCode ?? 0 })))
      response.on('error', (error) => finish(() => reject(error)))
    })
    request.end(body)
  })
}
