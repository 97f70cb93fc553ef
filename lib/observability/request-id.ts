import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'

// A caller's x-request-id is kept when it looks like an id (so a trace can
// span services) and replaced otherwise: it ends up in logs and headers.
const ACCEPTED = /^[A-Za-z0-9._-]{8,128}$/

export function requestIdFrom(header: string | string[] | null | undefined): string {
  const value = Array.isArray(header) ? header[0] : header
  return value && ACCEPTED.test(value) ? value : randomUUID()
}

export type RequestContext = {
  requestId: string
  /** set once the RPC interceptor has written this request's log line */
  logged?: boolean
}

// On globalThis so the custom server and modules bundled by Next share one store.
const g = globalThis as unknown as { fcRequestContext?: AsyncLocalStorage<RequestContext> }

/** The request being served, for every log line written while serving it. */
export const requestContext = (g.fcRequestContext ??= new AsyncLocalStorage<RequestContext>())

export const currentRequestId = (): string | undefined => requestContext.getStore()?.requestId
