import { signStatusOf } from '@/lib/signing/sign-page'

/**
 * Where a sign link stands ({"signStatus": …}), for the sign page left open on a
 * wide screen while the user signs on the phone. The token is the credential, as
 * for the page; nothing but the status is told.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params
  const status = await signStatusOf(token)
  return Response.json(status ? { signStatus: status } : { signStatus: 'UNKNOWN' }, { status: status ? 200 : 404, headers: { 'cache-control': 'no-store' } })
}
