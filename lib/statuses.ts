// The status codes the tables store as short strings (de_user.user_status,
// de_ar.ar_status), named once (docs/product.md#entities-and-tables).

/** de_user.user_status */
export const UserStatus = { ACTIVE: '1', DISABLED: '2' } as const
export type UserStatus = (typeof UserStatus)[keyof typeof UserStatus]
export const USER_STATUS_LABELS: Record<string, string> = { [UserStatus.ACTIVE]: 'active', [UserStatus.DISABLED]: 'disabled' }

/** de_ar.ar_status: only an arrangement in force can be opened; any can be closed. */
export const ArrangementStatus = { NOT_YET_IN_FORCE: '1', IN_FORCE: '2', LAPSED: '3', CANCELLED: '4', VOID: '5' } as const
export type ArrangementStatus = (typeof ArrangementStatus)[keyof typeof ArrangementStatus]
export const ARRANGEMENT_STATUS_LABELS: Record<ArrangementStatus, string> = {
  '1': 'not yet in force',
  '2': 'in force',
  '3': 'lapsed',
  '4': 'cancelled',
  '5': 'void',
}
