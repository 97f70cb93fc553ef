import { prisma } from '@/lib/db'
import type { Actor } from '@/lib/auth/actor'
import { arrangementTerms, type TermDefinition } from '@/lib/agreements/arrangement-terms'

/** The terms of each of the given arrangements (by number), for showing the values of listed agreements. */
export async function termsByArrangement(actor: Actor, numbers: string[]): Promise<Map<string, readonly TermDefinition[]>> {
  const unique = [...new Set(numbers)]
  if (unique.length === 0) return new Map()
  const rows = await prisma.arrangement.findMany({
    where: { tenantId: actor.tenantId, number: { in: unique } },
    select: { number: true, properties: true },
  })
  return new Map(rows.map((r) => [r.number, arrangementTerms(r.properties).terms]))
}
