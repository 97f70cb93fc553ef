// one database is enough: uses no database
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import assert from 'node:assert/strict'

// The repository documents itself (docs/*.md, README.md): its files cite those, never
// documents a reader of the repository does not have, and every citation of a page or
// of a heading in it leads somewhere.

const root = path.resolve(import.meta.dirname, '..')
const self = path.relative(root, import.meta.filename)

/** Tracked files, and new ones not yet added (but not ignored), as repository paths. */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  return [...new Set(out.split('\0').filter(Boolean))].filter((f) => fs.existsSync(path.join(root, f)))
}

/** A file's text, or undefined for a binary file. */
function textOf(file: string): string | undefined {
  const bytes = fs.readFileSync(path.join(root, file))
  if (bytes.subarray(0, 8000).includes(0)) return undefined
  return bytes.toString('utf8')
}

const SKIPPED = [/^node_modules\//, /^lib\/generated\//, /^lib\/gen\//, /^docs\//, /(^|\/)package-lock\.json$/]
const sources = () => repositoryFiles().filter((f) => f !== self && !SKIPPED.some((p) => p.test(f)))

// Spelled in pieces so that this file does not cite them itself.
const OUTSIDE_DOCUMENTS: [string, RegExp][] = [
  ['the product spec', new RegExp(`\\b${'SP'}EC\\b`)],
  ['the tooling notes', new RegExp(`\\b${'RECI'}PES\\b`)],
  ['the original design documents', new RegExp(`\\bthe ${'see'}ds\\b|\\b${'see'}ds'`, 'i')],
  ['the shared folder', new RegExp(`\\.\\./${'sha'}red/`)],
]

test('no file cites a document outside the repository', () => {
  const found: string[] = []
  for (const file of sources()) {
    const text = textOf(file)
    if (text === undefined) continue
    text.split('\n').forEach((line, i) => {
      for (const [what, pattern] of OUTSIDE_DOCUMENTS) {
        if (pattern.test(line)) found.push(`${file}:${i + 1}: cites ${what}: ${line.trim()}`)
      }
    })
  }
  assert.deepEqual(found, [], `cite docs/*.md (or say the reasoning) instead:\n${found.join('\n')}`)
})

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*~]/g, '')
    .trim()
    .toLowerCase()
  return text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')
}

/** The anchors of a Markdown file's headings (outside code blocks), duplicates numbered as GitHub does. */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  let fenced = false
  for (const line of fs.readFileSync(path.join(root, file), 'utf8').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    const heading = !fenced && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)
    if (!heading) continue
    const base = slug(heading[1])
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    anchors.add(n === 0 ? base : `${base}-${n}`)
  }
  return anchors
}

/** Why a citation of `target` (a repository path) and `anchor` leads nowhere, or undefined when it leads somewhere. */
function brokenCitation(target: string, anchor: string | undefined): string | undefined {
  if (!fs.existsSync(path.join(root, target))) return `${target} does not exist`
  if (anchor === undefined || !target.endsWith('.md')) return undefined
  return anchorsOf(target).has(anchor) ? undefined : `${target} has no heading for #${anchor}`
}

test('slug follows GitHub', () => {
  assert.equal(slug('Result codes'), 'result-codes')
  assert.equal(slug('Arrangement (`de_ar`)'), 'arrangement-de_ar')
  assert.equal(slug('One server, two doors'), 'one-server-two-doors')
  assert.equal(slug('Single-device sign-in'), 'single-device-sign-in')
  assert.equal(slug('The parts of the test command'), 'the-parts-of-the-test-command')
})

test('every docs/*.md citation in a source file names a page and a heading that exist', () => {
  const broken: string[] = []
  for (const file of sources()) {
    const text = textOf(file)
    if (text === undefined) continue
    for (const match of text.matchAll(/\bdocs\/([\w.-]+\.md)(?:#([\p{L}\p{N}_-]+))?/gu)) {
      const problem = brokenCitation(`docs/${match[1]}`, match[2])
      if (problem) broken.push(`${file}: ${match[0]}: ${problem}`)
    }
  }
  assert.deepEqual(broken, [], broken.join('\n'))
})

test('every relative link in docs/*.md and README.md leads to a file and heading that exist', () => {
  const pages = repositoryFiles().filter((f) => /^docs\/[^/]+\.md$/.test(f) || f === 'README.md')
  assert.ok(pages.includes('docs/product.md') && pages.includes('docs/architecture.md') && pages.includes('docs/operations.md'))
  const broken: string[] = []
  for (const page of pages) {
    let fenced = false
    for (const line of fs.readFileSync(path.join(root, page), 'utf8').split('\n')) {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
      if (fenced) continue
      for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = match[1]
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue
        const [file, anchor] = link.split('#', 2) as [string, string | undefined]
        const target = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file))
        const problem = brokenCitation(target, anchor)
        if (problem) broken.push(`${page}: ${link}: ${problem}`)
      }
    }
  }
  assert.deepEqual(broken, [], broken.join('\n'))
})

// Paths the repository does not hold but its commands make: cited as where to look after running them.
const MADE_BY_COMMANDS = [/^lib\/generated(\/|$)/, /^lib\/gen(\/|$)/, /^bench\/results(\/|$)/]

/** A source file's bare name, as a page cites one beside the folder it is in. */
const BARE_NAME = /^[\w@-][\w.@-]*\.(ts|tsx|mts|mjs|js|cjs|sql|proto|prisma|conf|css|ya?ml)$/

type Citation = { line: number; path: string } | { line: number; name: string; folders: string[] }

/**
 * What a Markdown page cites in backticks (code spans and code blocks alike), with its lines:
 * repository paths, and bare file names, which belong in a folder the same line cites
 * (`lib/webhooks/` … `safe-post.ts`), else anywhere in the repository.
 */
function citedPaths(page: string, topFolders: Set<string>): Citation[] {
  const cited: Citation[] = []
  fs.readFileSync(path.join(root, page), 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const paths: string[] = []
      const names: string[] = []
      for (const span of text.matchAll(/`([^`\n]+)`/g)) {
        for (let token of span[1].split(/[\s"'=(),]+/)) {
          token = token.replace(/^\.\//, '').replace(/[.,;:)]+$/, '').replace(/#.*$/, '').replace(/:\d+(:\d+)?$/, '')
          // a placeholder or a pattern is not a path
          if (/[<>…*${}|]|\.\.\./.test(token)) continue
          if (!token.includes('/')) {
            if (BARE_NAME.test(token) && !topFolders.has(token)) names.push(token)
          } else if (topFolders.has(token.split('/')[0])) {
            paths.push(token.replace(/\/$/, ''))
          }
        }
      }
      for (const p of paths) cited.push({ line: i + 1, path: p })
      const folders = paths.filter((p) => !path.posix.extname(p))
      for (const name of names) cited.push({ line: i + 1, name, folders })
    })
  return cited
}

test('every repository path cited in backticks in README.md and docs/*.md exists', () => {
  const files = repositoryFiles()
  const topFolders = new Set(files.filter((f) => f.includes('/')).map((f) => f.split('/')[0]))
  const known = new Set(files)
  for (const f of files) for (let d = path.posix.dirname(f); d !== '.'; d = path.posix.dirname(d)) known.add(d)
  const pages = files.filter((f) => /^docs\/[^/]+\.md$/.test(f) || f === 'README.md')
  const broken: string[] = []
  let checked = 0
  const made = (p: string) => MADE_BY_COMMANDS.some((pattern) => pattern.test(p))
  for (const page of pages) {
    for (const citation of citedPaths(page, topFolders)) {
      checked++
      if ('path' in citation) {
        if (!known.has(citation.path) && !made(citation.path)) broken.push(`${page}:${citation.line}: \`${citation.path}\` does not exist`)
        continue
      }
      const { name, folders, line } = citation
      const holders = files.filter((f) => path.posix.basename(f) === name)
      // a file at the top (`server.ts`) is known by its bare name wherever it is cited
      const inFolder = known.has(name) || folders.length === 0 ? holders.length > 0 : folders.some((d) => made(d) || holders.some((f) => f.startsWith(`${d}/`)))
      if (!inFolder) broken.push(`${page}:${line}: \`${name}\` is in ${folders.length ? `none of ${folders.join(', ')}` : 'no folder of the repository'}`)
    }
  }
  assert.ok(checked > 100, `only ${checked} paths found: the reader misses them`)
  assert.deepEqual(broken, [], broken.join('\n'))
})

test('a cited path is read as the reader reads it', () => {
  const dir = fs.mkdtempSync(path.join(root, 'node_modules', '.docs-test-'))
  try {
    const page = path.relative(root, path.join(dir, 'page.md'))
    fs.writeFileSync(
      path.join(root, page),
      [
        'See `lib/config.ts`, `./scripts/db.ts:12`, `prisma/migrations/` and `docs/operations.md#the-demo-mark`.',
        'Run `npx tsx scripts/runtime-licences.ts`, not `bench/results/<size>/` nor `lib/*/x.ts` nor `https://a/b` nor `a/b`.',
      ].join('\n'),
    )
    assert.deepEqual(
      citedPaths(page, new Set(['lib', 'scripts', 'prisma', 'docs', 'bench'])).map((c) => ('path' in c ? c.path : `${c.name} in ${c.folders.join(' ')}`)),
      ['lib/config.ts', 'scripts/db.ts', 'prisma/migrations', 'docs/operations.md', 'scripts/runtime-licences.ts'],
    )
    fs.writeFileSync(path.join(root, page), '| `lib/webhooks/` | the loop (`delivery-loop.ts`), the payload (`event-payload.ts`); see `server.ts` |\n')
    assert.deepEqual(
      citedPaths(page, new Set(['lib'])).map((c) => ('path' in c ? c.path : `${c.name} in ${c.folders.join(' ')}`)),
      ['lib/webhooks', 'delivery-loop.ts in lib/webhooks', 'event-payload.ts in lib/webhooks', 'server.ts in lib/webhooks'],
    )
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('the README stays an entry point: at most 200 lines, the rest in docs/', () => {
  const lines = fs.readFileSync(path.join(root, 'README.md'), 'utf8').trimEnd().split('\n').length
  assert.ok(lines <= 200, `README.md has ${lines} lines: move the detail to docs/`)
})
