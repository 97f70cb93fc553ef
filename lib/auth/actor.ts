/** Who is acting: always taken from a validated session, never from a request body. */
export type Actor = {
  tenantId: string
  userId: string
  sessionId: string
  device: string
}
