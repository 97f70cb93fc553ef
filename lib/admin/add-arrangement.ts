import { z } from 'zod'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { newOrConflict } from '@/lib/admin/errors'
import { adminRefusal, code, optionalText, text } from '@/lib/admin/validation'
import { parseInput } from '@/lib/validation/parse'
import { ARRANGEMENT_STATUS_LABELS, ArrangementStatus } from '@/lib/statuses'
import { termsDocument } from '@/lib/agreements/arrangement-terms'

/** ar_status (docs/product.md#arrangement-de_ar): 1 not yet in force, 2 in force, 3 lapsed, 4 cancelled, 5 void. */
export const ARRANGEMENT_STATUSES = ARRANGEMENT_STATUS_LABELS

/** The definitions' problems, one line each (path: reason), or none. */
function termsProblems(value: string): string[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return ['must be JSON, e.g. ' + TERMS_EXAMPLE]
  }
  const result = termsDocument.safeParse(parsed)
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || 'document'} ${issue.message}`)
}

const TERMS_EXAMPLE =
  '{"version":1,"properties":[{"key":"plate","label":{"zh":"车牌号","en":"Plate"},"type":"text","maxLength":10,"required":true}]}'

const schema = z.object({
  number: code(32),
  name: text(255),
  version: text(32).regex(/^[A-Za-z0-9._-]+$/, "may contain only letters, digits, '.', '-' and '_'"),
  type: code(32),
  // a new arrangement is meant to be used, so it is in force unless said otherwise
  status: z
    .enum(Object.values(ArrangementStatus), { error: 'must be 1 (not yet in force), 2 (in force), 3 (lapsed), 4 (cancelled) or 5 (void)' })
    .default(ArrangementStatus.IN_FORCE),
  // the terms' definitions (docs/product.md#terms-of-an-arrangement), checked as the app reads them
  properties: optionalText(2048).superRefine((p, ctx) => {
    if (p === undefined) return
    for (const problem of termsProblems(p)) ctx.addIssue({ code: 'custom', message: problem })
  }),
  memo: optionalText(255),
})

/** status is checked at run time, so a caller may pass any string (e.g. a command-line flag) */
export type AddArrangementInput = Omit<z.input<typeof schema>, 'status'> & { status?: string }
export type AddedArrangement = z.output<typeof schema>

/** Adds an arrangement (a kind of agreement is rows, not code); its number must be new. */
export async function addArrangement(db: PrismaClient, input: AddArrangementInput): Promise<AddedArrangement> {
  const arrangement = parseInput(schema, input, adminRefusal)
  await newOrConflict(() => db.arrangement.create({ data: { tenantId: config().FC_TENANT_ID, ...arrangement } }), `arrangement ${arrangement.number} already exists`)
  return arrangement
}
