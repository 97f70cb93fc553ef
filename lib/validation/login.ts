import { z } from 'zod'
import { loginKey, password } from '@/lib/validation/fields'

/** The login form and user.User/Login share this schema. */
export const loginSchema = z.object({ loginKey, loginValue: password })
export type LoginInput = z.infer<typeof loginSchema>
