import type { AgreementOutcome } from '@/lib/db/statements/agreement-outcome'
import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { assertActsForSelf } from '@/lib/agreements/authorize-user'
import { agreementTargetSchema, type AgreementTarget } from '@/lib/validation/agreement'
import { parseInput } from '@/lib/validation/parse'
import { parseTermValues } from '@/lib/validation/term-values'
import type { TermValues } from '@/lib/agreements/arrangement-terms'

export type AgreementTargetInput = { arrangementType: unknown; productCode: unknown; userId: unknown }


/** The checks before opening or closing: the fields (10), then acting for oneself (04). */
export function targetFor(actor: Actor, input: AgreementTargetInput): AgreementTarget {
  const target = parseInput(agreementTargetSchema, input)
  assertActsForSelf(actor, target.userId)
  return target
}

/** A call that gives term values: opening and changing. */
export type TargetWithValuesInput = AgreementTargetInput & { propertyValues?: unknown }

/** The checks before opening or changing: the target's (10, 04), then the values' shape (10), before anything is read. */
export function targetWithValues(actor: Actor, input: TargetWithValuesInput): { target: AgreementTarget; given: TermValues } {
  return { target: targetFor(actor, input), given: parseTermValues(input.propertyValues) }
}

/**
 * What an open or close statement found, as the answer's code, in the order of checks:
 * the arrangement (15), then the product (14), then the agreement's state (`otherwise`).
 */
export function assertChanged(outcome: AgreementOutcome, otherwise: Exclude<ResultCode, '00'>): void {
  if (!outcome.arrangementFound) throw new DomainError(ResultCode.ARRANGEMENT_NOT_FOUND)
  if (!outcome.productFound) throw new DomainError(ResultCode.PRODUCT_NOT_FOUND)
  if (!outcome.changed) throw new DomainError(otherwise)
}
