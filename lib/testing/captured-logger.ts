import { Writable } from 'node:stream'
import { createLogger } from '@/lib/observability/logger'

/** A logger of this process's kind whose lines are kept, parsed, for the test to read. */
export function capturedLogger() {
  const lines: Array<Record<string, unknown>> = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
      done()
    },
  })
  const log = createLogger(sink)
  log.level = 'info'
  return { log, lines }
}
