/** Unique-key violation (P2002), whichever way the driver adapter reports it. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } } }
  if (e?.code === 'P2002') return true
  const cause = e?.meta?.driverAdapterError?.cause
  return cause?.kind === 'UniqueConstraintViolation' || cause?.originalCode === '23505'
}
