import { createHmac } from 'node:crypto'
import { config } from '@/lib/config'

// The key nginx's split_clients sends a user's requests by during a gray release
// (deploy/nginx.conf, docs/operations.md#releasing). It is the same for a user on every
// device and door, so that one user is never answered by two versions: a browser gets it
// as a cookie at sign-in, an API client as a response header of its login, which it sends
// back as a header (gRPC: metadata) on every later call. Keyed with AUTH_SECRET (which every
// instance shares) so that it names no user: user ids are short and sequential, and a plain
// hash of one could be reversed. It grants nothing: a client that sends another value only
// chooses which version answers it.

export const RELEASE_BUCKET_COOKIE = 'fc_release_bucket'
export const RELEASE_BUCKET_HEADER = 'fc-release-bucket'
// a year: the bucket outlives sessions, so a user signing in again lands where they were
const COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600

/** The user's bucket: 22 base64url characters, the same on every instance of every version. */
export function releaseBucket(userId: string): string {
  return createHmac('sha256', config().authSecret).update(`fc-release-bucket\0${userId}`).digest('base64url').slice(0, 22)
}

/** The bucket cookie's flags: readable by nginx only as a cookie (not by scripts), Secure on an https:// site. */
export const releaseBucketCookieOptions = () => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  path: '/',
  secure: config().publicUrl.startsWith('https://'),
  maxAge: COOKIE_MAX_AGE_SECONDS,
})
