// one database is enough: uses no database
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { licenceAllowed, licenceProblems, readLockfile, type Lockfile } from './runtime-licences'

test('every package production installs is under an allowed licence (package-lock.json)', () => {
  assert.deepEqual(licenceProblems(readLockfile()), [])
})

test('AGPL, GPL, SSPL and undeclared licences are refused; dev-only packages are not looked at', () => {
  const lock: Lockfile = {
    packages: {
      '': { version: '0.1.0' },
      'node_modules/agpl': { version: '2.0.10', license: 'AGPL-3.0-or-later' },
      'node_modules/gpl': { version: '1.0.0', license: 'GPL-2.0-only' },
      'node_modules/sspl': { version: '1.0.0', license: 'SSPL-1.0' },
      'node_modules/nothing': { version: '1.0.0' },
      'node_modules/a/node_modules/nested': { version: '3.0.0', license: '(MIT AND GPL-3.0-or-later)' },
      'node_modules/dual': { version: '1.0.0', license: '(MIT OR GPL-3.0-or-later)' },
      'node_modules/lgpl-elsewhere': { version: '1.0.0', license: 'LGPL-3.0-or-later' },
      'node_modules/@img/sharp-libvips-linux-x64': { version: '1.2.4', license: 'LGPL-3.0-or-later' },
      'node_modules/seq-queue': { version: '0.0.5' },
      'node_modules/test-only': { version: '1.0.0', license: 'GPL-3.0-only', dev: true },
    },
  }
  assert.deepEqual(licenceProblems(lock), [
    'agpl@2.0.10: AGPL-3.0-or-later is not an allowed licence',
    'gpl@1.0.0: GPL-2.0-only is not an allowed licence',
    'sspl@1.0.0: SSPL-1.0 is not an allowed licence',
    'nothing@1.0.0: no licence declared',
    'nested@3.0.0: (MIT AND GPL-3.0-or-later) is not an allowed licence',
    'lgpl-elsewhere@1.0.0: LGPL-3.0-or-later is not an allowed licence',
  ])
})

test('SPDX expressions: OR needs one allowed side, AND both, WITH what its licence needs; malformed ones are refused', () => {
  const mit = (id: string) => id === 'MIT' || id === 'Apache-2.0'
  assert.equal(licenceAllowed('MIT', mit), true)
  assert.equal(licenceAllowed('GPL-3.0-only OR MIT', mit), true)
  assert.equal(licenceAllowed('MIT and Apache-2.0', mit), true)
  assert.equal(licenceAllowed('Apache-2.0 WITH LLVM-exception', mit), true)
  assert.equal(licenceAllowed('MIT AND (GPL-3.0-only OR Apache-2.0)', mit), true)
  assert.equal(licenceAllowed('MIT AND GPL-3.0-only', mit), false)
  assert.equal(licenceAllowed('(MIT', mit), false)
  assert.equal(licenceAllowed('MIT OR', mit), false)
  assert.equal(licenceAllowed('', mit), false)
})
