// The licences of what production installs (`npm ci --omit=dev`): every package of
// package-lock.json not marked dev-only, optional and platform-specific ones included.
// The lockfile, not node_modules, so that the answer is the same on every machine
// and covers what other platforms would install. scripts/runtime-licences.test.ts runs
// this in `npm test`; `npx tsx scripts/runtime-licences.ts` prints the same list.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

/** Permissive licences, by SPDX id: any package under these alone may ship. */
export const ALLOWED_LICENCES: ReadonlySet<string> = new Set([
  'MIT',
  'ISC',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'BlueOak-1.0.0',
  'Unlicense',
  'CC0-1.0',
  // data, not code: caniuse-lite's browser tables (attribution only)
  'CC-BY-4.0',
  // the Inter font files (@fontsource-variable/inter)
  'OFL-1.1',
])

/**
 * Weak-copyleft licences accepted for the named packages only, each for a reason: a new
 * package under one of them fails the check until someone has looked at it.
 */
export const ACCEPTED_FOR: readonly { pattern: RegExp; licence: string; why: string }[] = [
  {
    pattern: /^@img\/sharp-(libvips-|wasm32$|win32-)/,
    licence: 'LGPL-3.0-or-later',
    why: "sharp's prebuilt libvips, an optional binary that Next's image optimisation loads as a library, unmodified",
  },
  { pattern: /^elkjs$/, licence: 'EPL-2.0', why: "the Prisma CLI's schema diagram layout, used as published" },
]

/** Packages whose package.json declares no licence, with the one their own LICENSE file gives (read at this version). */
export const UNDECLARED: Readonly<Record<string, string>> = {
  'seq-queue@0.0.5': 'MIT',
}

type LockEntry = { version?: string; license?: string | { type?: string }; dev?: boolean; link?: boolean }
export type Lockfile = { packages: Record<string, LockEntry> }

/**
 * Whether an SPDX expression lets the package be used under `allowed` licences:
 * `A OR B` needs one of the two, `A AND B` both, `A WITH exception` what A needs
 * (an exception only adds permissions). A malformed expression is not allowed.
 */
export function licenceAllowed(expression: string, allowed: (id: string) => boolean): boolean {
  const tokens = expression.match(/[()]|[^\s()]+/g) ?? []
  let at = 0
  const operator = (name: string) => tokens[at]?.toUpperCase() === name
  const either = (): boolean => {
    let ok = both()
    while (operator('OR')) {
      at++
      ok = both() || ok
    }
    return ok
  }
  const both = (): boolean => {
    let ok = term()
    while (operator('AND')) {
      at++
      ok = term() && ok
    }
    return ok
  }
  const term = (): boolean => {
    const token = tokens[at++]
    if (token === '(') {
      const ok = either()
      if (tokens[at++] !== ')') throw new SyntaxError('unclosed parenthesis')
      return ok
    }
    if (token === undefined || token === ')' || ['AND', 'OR', 'WITH'].includes(token.toUpperCase())) throw new SyntaxError('licence id expected')
    if (operator('WITH')) at += 2
    return allowed(token)
  }
  try {
    const ok = either()
    return ok && at === tokens.length
  } catch {
    return false
  }
}

/** "name@version: licence — why not" for every runtime package whose licence is not allowed; empty when all are. */
export function licenceProblems(lock: Lockfile): string[] {
  const problems: string[] = []
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (location === '' || entry.dev || entry.link) continue
    const name = location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length)
    const id = `${name}@${entry.version}`
    const declared = typeof entry.license === 'string' ? entry.license : entry.license?.type
    const licence = declared ?? UNDECLARED[id]
    if (!licence) {
      problems.push(`${id}: no licence declared`)
      continue
    }
    const accepted = (spdx: string) => ALLOWED_LICENCES.has(spdx) || ACCEPTED_FOR.some((a) => a.licence === spdx && a.pattern.test(name))
    if (!licenceAllowed(licence, accepted)) problems.push(`${id}: ${licence} is not an allowed licence`)
  }
  return problems
}

export function readLockfile(root = process.cwd()): Lockfile {
  return JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lockfile
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = licenceProblems(readLockfile())
  for (const problem of problems) console.error(problem)
  if (problems.length === 0) console.log('every runtime dependency is under an allowed licence')
  process.exitCode = problems.length ? 1 : 0
}
