import { UAParser } from 'ua-parser-js'

/** What a request says about the device it came from. */
export type ClientInfo = {
  userAgent?: string
  ip?: string
  /** the device's name when the caller knows it better than a user agent would say (the demo's simulated phones) */
  device?: string
}

/** "Chrome 156 · Linux": what the user recognises as their device, at most 255 characters. */
export function describeDevice(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device'
  const { browser, os } = UAParser(userAgent)
  const parts = [
    [browser.name, browser.major].filter(Boolean).join(' '),
    [os.name, os.version].filter(Boolean).join(' '),
  ].filter(Boolean)
  const text = parts.length ? parts.join(' · ') : userAgent
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 255)
}
