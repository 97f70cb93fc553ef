import { createHash } from 'node:crypto'

/** The most statements prepared by name on each connection; any beyond run unnamed. */
const NAMED_STATEMENTS = 200

/**
 * Names for constant statements, so that each pooled connection parses and plans one
 * once and then only binds and executes it: on the hot calls, parsing and planning were
 * a large share of PostgreSQL's CPU per request (docs/architecture.md#statements). The
 * bench's floor names its statements the same way, so the two send the same messages.
 */
export function statementNames(): (sql: string) => string | undefined {
  const names = new Map<string, string>()
  return (sql) => {
    const known = names.get(sql)
    if (known !== undefined || names.size >= NAMED_STATEMENTS) return known
    const name = `fc_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`
    names.set(sql, name)
    return name
  }
}
