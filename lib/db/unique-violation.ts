/** Unique-key violation (P2002), whichever way the driver adapter reports it. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } } }
  // P2002 from Prisma; 23505 straight from the driver (lib/db/client.ts, Database['query'])
  if (e?.code === 'P2002' || e?.code === '23505') return true
  const cause = e?.meta?.driverAdapterError?.cause
  return cause?.kind === 'UniqueConstraintViolation' || cause?.originalCode === '23505'
}
