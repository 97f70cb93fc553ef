// one database is enough: uses no database
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import assert from 'node:assert/strict'

// Client components get their words as props, translated on the server: the root layout
// has no NextIntlClientProvider, so next-intl's hooks throw when a client component renders
// (docs/architecture.md#translations-in-the-browser). This finds such a component before a
// browser does.

const root = path.resolve(import.meta.dirname, '..')

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(file)
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [file] : []
  })
}

const isClientModule = (text: string) => /^\s*(\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*['"]use client['"]/.test(text)
const importsNextIntl = (text: string) => /\bfrom\s+['"](next-intl|use-intl)(\/(?!server\b)[^'"]*)?['"]/.test(text)

test('no client component imports next-intl or use-intl', () => {
  const files = ['app', 'components'].flatMap(sourceFiles)
  const clientFiles = files.filter((f) => isClientModule(fs.readFileSync(path.join(root, f), 'utf8')))
  assert.ok(clientFiles.length > 0, 'found no client components: the scan looks in the wrong place')
  const offenders = clientFiles.filter((f) => importsNextIntl(fs.readFileSync(path.join(root, f), 'utf8')))
  assert.deepEqual(offenders, [], `translate on the server and pass the strings as a prop instead: ${offenders.join(', ')}`)
})

test('the scan recognises a client module that translates with next-intl', () => {
  const sample = "'use client'\n\nimport { useTranslations } from 'next-intl'\n"
  assert.ok(isClientModule(sample))
  assert.ok(importsNextIntl(sample))
  assert.ok(isClientModule('// a comment\n"use client"\n'))
  assert.ok(!isClientModule("import x from 'y'\n'use client'\n"))
  assert.ok(!importsNextIntl("import { getTranslations } from 'next-intl/server'\n"))
})
