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
