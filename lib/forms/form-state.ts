/** What a server action answers a form: the code and its message, or which fields are wrong. */
export type FormState = {
  ok?: boolean
  code?: string
  message?: string
  fieldErrors?: Record<string, string>
}
