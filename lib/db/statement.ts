import type { RunStatement } from '@/lib/db/client'

/** What a statement's parameters may be: a name for each placeholder in its text. */
export type Parameters = Record<string, unknown>

/**
 * One SQL statement of the app, written with named placeholders (`:tenantId`) and
 * compiled once, when its module loads, to the positional text the driver sends
 * (`$1`). Its text never changes, so each pooled connection prepares it by name once
 * (lib/db/statement-names.ts); a call only lays the named values out in order.
 */
export type Statement<P extends Parameters, R> = {
  /** the statement's name (its file's), for EXPLAIN and error reports */
  readonly name: string
  /** the positional text sent to the database */
  readonly text: string
  /** the parameter names, in the order of $1, $2, … */
  readonly parameters: readonly (keyof P & string)[]
  /** the values of `params` in the order of the text's placeholders */
  values: (params: P) => unknown[]
  /** runs the statement on `db` (the pool, or a transaction) and resolves with its rows */
  run: (db: RunStatement, params: P) => Promise<R[]>
  /** runs a statement that returns no rows on `db` and resolves with how many rows it changed */
  count: (db: CountStatement, params: P) => Promise<number>
}

/** Runs one parameterised statement ($1, $2, …) and resolves with how many rows it changed. */
export type CountStatement = (sql: string, params: readonly unknown[]) => Promise<number>

// `:name`, not `::type` (a cast) and not inside a quoted literal, a quoted identifier or a comment
const PLACEHOLDER = /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|::|:([A-Za-z_][A-Za-z0-9_]*)/g

/** Compiles `sql`'s named placeholders to $1, $2, … (one number per distinct name). */
export function compile(sql: string): { text: string; parameters: string[] } {
  const parameters: string[] = []
  const text = sql.replace(PLACEHOLDER, (match, name: string | undefined) => {
    if (name === undefined) return match
    let at = parameters.indexOf(name)
    if (at < 0) at = parameters.push(name) - 1
    return `$${at + 1}`
  })
  return { text, parameters }
}

/**
 * Declares a statement: `P` names its parameters and their types, `R` its row. A
 * placeholder whose value is missing (undefined) is a programming error and throws
 * before anything is sent; NULL is passed as `null`.
 */
export function statement<P extends Parameters, R = never>(name: string, sql: string): Statement<P, R> {
  const { text, parameters } = compile(sql)
  const names = parameters as (keyof P & string)[]
  const values = (params: P) => {
    const out = new Array<unknown>(names.length)
    for (let i = 0; i < names.length; i++) {
      const value = params[names[i]]
      if (value === undefined) throw new Error(`statement ${name}: no value for :${names[i]}`)
      out[i] = value
    }
    return out
  }
  return { name, text, parameters: names, values, run: (db, params) => db<R>(text, values(params)), count: (db, params) => db(text, values(params)) }
}
