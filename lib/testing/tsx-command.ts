/**
 * A TypeScript script as the tests run the project's commands: this Node with tsx's loader
 * (`node --import tsx <script>`), one process where the `tsx` command (or `npx tsx`) starts two
 * and each start costs the suite about half a second.
 */
export const tsxCommand = (args: readonly string[]): [string, string[]] => [process.execPath, ['--import', 'tsx', ...args]]
