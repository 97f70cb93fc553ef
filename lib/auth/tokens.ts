import { createHash, randomBytes } from 'node:crypto'

// 256 random bits each; only their SHA-256 is stored, so a database leak
// yields nothing that opens a session. The prefixes keep the two kinds apart:
// a refresh token can never pass as an access token.
const ACCESS_PREFIX = 'fca_'
const REFRESH_PREFIX = 'fcr_'

export const newAccessToken = () => ACCESS_PREFIX + randomBytes(32).toString('base64url')
export const newRefreshToken = () => REFRESH_PREFIX + randomBytes(32).toString('base64url')

export const isAccessTokenShape = (token: string) => /^fca_[A-Za-z0-9_-]{43}$/.test(token)
export const isRefreshTokenShape = (token: string) => /^fcr_[A-Za-z0-9_-]{43}$/.test(token)

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')
