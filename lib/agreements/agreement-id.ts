import { v7 as uuidv7 } from 'uuid'

// UUIDv7 without dashes: 32 hex characters (rel_id is varchar(32)) that sort by
// creation time, so "newest first" is rel_id descending and pages are stable.
export const newAgreementId = () => uuidv7().replaceAll('-', '')
