import 'server-only'
import { headers } from 'next/headers'
import { getTranslations } from 'next-intl/server'
import type { z } from 'zod'
import { readActionForm } from '@/lib/forms/action-envelope'
import type { FormState } from '@/lib/forms/form-state'
import { isSameOrigin } from '@/lib/http/same-origin'
import { describeFailure } from '@/app/actions/describe-failure'

/**
 * How an action answers a request it refuses before running: a form that is no form
 * of ours (`malformed`, with the code-10 error that says why), or one posted from
 * another origin (`crossOrigin`, with the form as read).
 */
export type ActionRefusals<F, R> = {
  malformed: (error: unknown) => R | Promise<R>
  crossOrigin: (form: F) => R | Promise<R>
}

/** The refusals of an action that answers form state: the envelope's error, or "not from our pages". */
export const formStateRefusals: ActionRefusals<unknown, FormState> = {
  malformed: describeFailure,
  crossOrigin: async () => ({ ok: false, message: (await getTranslations('actions'))('forbiddenOrigin') }),
}

/** Server actions change state, so they must come from our own pages (lib/http/same-origin.ts). */
async function fromOurPages(): Promise<boolean> {
  const h = await headers()
  return isSameOrigin({ origin: h.get('origin'), secFetchSite: h.get('sec-fetch-site'), host: h.get('x-forwarded-host') ?? h.get('host') })
}

/**
 * The one door of every server action: the form read through the envelope parser
 * (lib/forms/action-envelope.ts) with the action's schema, then the same-origin rule,
 * and only then the action. The server checks the origin before Next already
 * (lib/http/router.ts); this is the second lock, on the action itself.
 */
export function formAction<S extends z.ZodType, R>(
  schema: S,
  refusals: ActionRefusals<z.output<S>, R>,
  run: (form: z.output<S>) => Promise<R>,
): (formData: unknown) => Promise<R> {
  return async (formData) => {
    let form: z.output<S>
    try {
      form = readActionForm(formData, schema)
    } catch (error) {
      return refusals.malformed(error)
    }
    if (!(await fromOurPages())) return refusals.crossOrigin(form)
    return run(form)
  }
}
