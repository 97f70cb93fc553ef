// The sign page's confirm as a browser sends it. The confirm has no JSON door: it is
// the server action confirmSignAction (app/actions/sign-actions.ts), which the page's
// form calls through useActionState. So the bench calls it over HTTP exactly as
// Next's client does: a POST to the sign page with the action's id in the
// Next-Action header, the router state of the page, the same-origin Origin header,
// the session cookie, and the arguments (the form state, then the form) encoded as
// React's encodeReply encodes them: the form's fields (the token, and the hidden
// $ACTION_ fields React adds to a server action's form) prefixed with "_1_", the
// argument list in part 0. This is what Chromium sends from the page (checked field by
// field against a captured request of e2e/sign-page.spec.ts). Success is what the
// browser acts on: the x-action-redirect header naming the merchant's returnUrl with
// signStatus=SIGNED (the body of such an answer is empty).
import fs from 'node:fs'
import path from 'node:path'

const BOUNDARY = '----fcbenchSignConfirm7MA4YWxkTrZu0gW'
const ACTIONS_FILE = 'app/actions/sign-actions.ts'
const ACTION_NAME = 'confirmSignAction'
// useActionState's key of the form, as the page renders it (the server does not check it on a fetch action)
const ACTION_KEY = 'kb68b52d2dbc5d4a587a6820b017eea36'

export type ConfirmRequest = { method: 'POST'; path: string; headers: Record<string, string>; body: string }

/** The build's id of confirmSignAction, from Next's server reference manifest. */
export function confirmActionId(buildDir = '.next'): string {
  const file = path.join(buildDir, 'server', 'server-reference-manifest.json')
  type Entry = { exportedName?: string; filename?: string }
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { node?: Record<string, Entry> }
  const found = Object.entries(manifest.node ?? {}).filter(([, e]) => e.exportedName === ACTION_NAME && e.filename === ACTIONS_FILE)
  if (found.length !== 1) throw new Error(`${file}: expected one ${ACTION_NAME} of ${ACTIONS_FILE}, found ${found.length}`)
  return found[0][0]
}

/** One confirm of the request behind `token`, by the user whose signed session cookie is `cookie`. */
export function confirmRequest(origin: string, actionId: string, cookie: string, token: string): ConfirmRequest {
  const part = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  // the page's initial form state is {}; the form is argument 1, its fields "_1_<name>", in the form's order
  const body =
    part('_1_$ACTION_REF_2', '') +
    part('_1_$ACTION_2:0', JSON.stringify({ id: actionId, bound: '$@1' })) +
    part('_1_$ACTION_2:1', '[{}]') +
    part('_1_$ACTION_KEY', ACTION_KEY) +
    part('_1_token', token) +
    part('0', '[{},"$K1"]') +
    `--${BOUNDARY}--\r\n`
  const tree = ['', { children: ['sign', { children: [['token', token, 'd', null], { children: ['__PAGE__', {}, null, null, 0] }, null, null, 0] }, null, null, 0] }, null, null, 16]
  return {
    method: 'POST',
    path: `/sign/${token}`,
    headers: {
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      accept: 'text/x-component',
      'next-action': actionId,
      'next-router-state-tree': encodeURIComponent(JSON.stringify(tree)),
      origin,
      'sec-fetch-site': 'same-origin',
      cookie,
    },
    body,
  }
}

/** Whether the answer sends the browser back to the merchant with the request SIGNED. */
export function confirmSucceeded(status: number, redirect: string | undefined): boolean {
  return status === 200 && redirect !== undefined && new URL(redirect.split(';', 1)[0]).searchParams.get('signStatus') === 'SIGNED'
}
