import { isUniqueViolation } from '@/lib/db/unique-violation'

/**
 * A refused admin operation. `kind` lets the CLI tell a bad argument (usage
 * error) from a missing or duplicate row; the message is meant for the operator.
 */
export type AdminErrorKind = 'invalid' | 'not-found' | 'conflict'

export class AdminError extends Error {
  override name = 'AdminError'
  constructor(
    readonly kind: AdminErrorKind,
    message: string,
  ) {
    super(message)
  }
}

/** Runs a write whose key must be new: a duplicate key, however the driver reports it, is AdminError('conflict', `message`). */
export async function newOrConflict<T>(write: () => Promise<T>, message: string): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (isUniqueViolation(error)) throw new AdminError('conflict', message)
    throw error
  }
}
