/** de_sign_request.status: PENDING, then once and for good one of the others. */
export const SignStatus = { PENDING: 'PENDING', SIGNED: 'SIGNED', DECLINED: 'DECLINED', EXPIRED: 'EXPIRED', CANCELLED: 'CANCELLED' } as const
export type SignStatus = (typeof SignStatus)[keyof typeof SignStatus]
