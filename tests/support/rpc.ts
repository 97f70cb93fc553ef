// The API's procedures as paths (`<package>.<Service>/<Method>`), read from the
// services generated from the published protos, so tests cannot drift from them.
import type { DescMethod } from '@bufbuild/protobuf'
import { Company } from '../../lib/gen/deduction_pb'
import { User } from '../../lib/gen/user_pb'

const path = (method: DescMethod) => `${method.parent.typeName}/${method.name}`

export const LOGIN = path(User.method.login)
export const REFRESH = path(User.method.refresh)
export const LOGOUT = path(User.method.logout)
export const SESSIONS = path(User.method.querySessions)
export const CREATE = path(Company.method.createDeductionService)
export const CLOSE = path(Company.method.closeDeductionService)
export const LIST = path(Company.method.queryDeductionListByUserIdAndArType)
export const MODIFY = path(Company.method.modifyDeductionService)
export const CATALOGUE = path(Company.method.queryProductCatalogue)
export const DETAIL = path(Company.method.queryDeductionDetail)
