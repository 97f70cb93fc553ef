import { v7 as uuidv7 } from 'uuid'

// UUIDv7 without dashes: 32 hex characters (rel_id is varchar(32)) that sort by
// creation time, so "newest first" is rel_id descending and pages are stable.
export const newRelId = () => uuidv7().replaceAll('-', '')

export const encodePageToken = (relId: string) => Buffer.from(relId, 'utf8').toString('base64url')

/** The rel_id a page token stands for, or undefined when it is not one of ours. */
export function decodePageToken(token: string): string | undefined {
  const relId = Buffer.from(token, 'base64url').toString('utf8')
  return /^[0-9a-f]{32}$/.test(relId) && encodePageToken(relId) === token ? relId : undefined
}
