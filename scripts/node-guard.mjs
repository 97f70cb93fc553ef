// The project runs on the Node.js it brings: package.json's exact "node" dependency
// puts that binary in node_modules/.bin, first on the PATH of every npm script.
// Loaded into every Node process of the test suite (NODE_OPTIONS=--import, set by
// scripts/run-unit-tests.mjs and playwright.config.ts, inherited by every child): a
// process that starts on another major version stops at once, so no test can pass
// on the wrong runtime.
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The Node.js version the project pins (package.json, dependencies.node). */
export const projectNode = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).dependencies.node

export const sameMajor = (version, required) => version.replace(/^v/, '').split('.')[0] === required.split('.')[0]

/** NODE_OPTIONS with this guard added (once) to what is there. */
export function withNodeGuard(nodeOptions = '') {
  const option = `--import=${fileURLToPath(import.meta.url)}`
  return nodeOptions.includes(option) ? nodeOptions : `${option} ${nodeOptions}`.trim()
}

if (!sameMajor(process.versions.node, projectNode)) {
  process.stderr.write(
    `fcdeduction: this process runs on Node.js ${process.version}, but the project runs on Node.js ${projectNode} ` +
      '(node_modules/.bin/node, installed by `npm ci`): start it through an npm script.\n',
  )
  process.exit(1)
}
