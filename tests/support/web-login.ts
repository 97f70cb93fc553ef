// Signs in through the login page's own form, posted as a browser without
// JavaScript posts it: the browser's one way in, for tests and the soak run that
// need a session cookie without a browser.

const entities: Record<string, string> = { '&quot;': '"', '&amp;': '&', '&#x27;': "'", '&#39;': "'", '&lt;': '<', '&gt;': '>' }
const unescape = (text: string) => text.replace(/&(?:quot|amp|#x27|#39|lt|gt);/g, (entity) => entities[entity])

/** The session cookie (`name=value`) that signing in sets, or undefined with the HTTP status when none was set. */
export async function webLogin(base: string, user: { email: string; password: string }): Promise<{ cookie?: string; status: number }> {
  const page = await (await fetch(`${base}/login`)).text()
  const form = /<form[^>]*data-testid="login-form"[^>]*>([\s\S]*?)<\/form>/.exec(page)?.[1]
  if (!form) throw new Error(`no login form on ${base}/login`)
  const body = new FormData()
  for (const [, name, value] of form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)) body.append(unescape(name), unescape(value ?? ''))
  body.append('email', user.email)
  body.append('password', user.password)
  const res = await fetch(`${base}/login`, { method: 'POST', body, redirect: 'manual', headers: { origin: new URL(base).origin } })
  await res.arrayBuffer()
  const cookie = res.headers.getSetCookie().find((c) => /^(__Secure-)?next-auth\.session-token=/.test(c))
  return { cookie: cookie?.split(';')[0], status: res.status }
}
