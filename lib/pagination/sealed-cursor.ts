// Page tokens and change cursors are sealed: `c2.<position>.<mac>`, both parts
// base64url, the MAC an HMAC-SHA256 over the call, the owner the cursor was issued
// to and the position, under a key derived from AUTH_SECRET (HKDF, a label of its
// own, so no other use of the secret can produce one). A client can hand a cursor
// back but cannot edit it, move it to another user, merchant or call, or make one
// up (docs/product.md#page-tokens-and-cursors). The version prefix lets a later
// format be told apart; the plain `c1.` cursors of before are refused.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import { config } from '@/lib/config'

/** The call a cursor belongs to and whom it was handed to: a cursor opens only for the same scope. */
export type CursorScope = { call: 'deduction-list' | 'agreement-changes'; owner: readonly string[] }

const VERSION = 'c2'
const KEY_LABEL = 'fcdeduction page cursor v2'
const SHAPE = /^c2\.([A-Za-z0-9_-]{1,160})\.([A-Za-z0-9_-]{43})$/

let derived: { secret: string; key: Buffer } | undefined
function cursorKey(secret: string): Buffer {
  if (derived?.secret !== secret) derived = { secret, key: Buffer.from(hkdfSync('sha256', secret, '', KEY_LABEL, 32)) }
  return derived.key
}

function mac(secret: string, scope: CursorScope, position: Buffer): Buffer {
  // the JSON array keeps the scope's parts apart; a newline cannot occur in it
  return createHmac('sha256', cursorKey(secret))
    .update(`${JSON.stringify([VERSION, scope.call, ...scope.owner])}\n`)
    .update(position)
    .digest()
}

/** A cursor that stands for `position` to this scope only. */
export function sealCursor(scope: CursorScope, position: string, secret = config().authSecret): string {
  const bytes = Buffer.from(position, 'utf8')
  return `${VERSION}.${bytes.toString('base64url')}.${mac(secret, scope, bytes).toString('base64url')}`
}

/** The position the cursor stands for, or undefined when this service did not issue it to this scope. */
export function openCursor(scope: CursorScope, cursor: string, secret = config().authSecret): string | undefined {
  const parts = SHAPE.exec(cursor)
  if (!parts) return undefined
  const position = Buffer.from(parts[1], 'base64url')
  const given = Buffer.from(parts[2], 'base64url')
  // base64url has several spellings of the last few bits; only the one we write is ours
  if (position.toString('base64url') !== parts[1] || given.toString('base64url') !== parts[2]) return undefined
  return timingSafeEqual(given, mac(secret, scope, position)) ? position.toString('utf8') : undefined
}
