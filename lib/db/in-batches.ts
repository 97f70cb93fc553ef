import { setTimeout as sleep } from 'node:timers/promises'

export type Batching = {
  /** rows a statement deletes at most */
  batchSize: number
  /** the pause after each full batch */
  pauseMs: number
}

/**
 * The clean-up's pace. Each statement locks no more than 1,000 rows, for a few
 * milliseconds, so that the requests writing the same tables never queue behind
 * it; a 10 ms pause after each full batch keeps a backlog from holding one
 * connection and a core busy back to back, so that the calls running beside it
 * do not wait for them (bench/retention.ts measures both ways).
 */
export const CLEAN_UP_BATCHING: Batching = { batchSize: 1000, pauseMs: 10 }

/** Runs `deleteBatch` until a batch comes back short; resolves with the rows removed. */
export async function inBatches(deleteBatch: (limit: number) => Promise<number>, { batchSize, pauseMs }: Batching = CLEAN_UP_BATCHING): Promise<number> {
  let removed = 0
  for (;;) {
    const count = await deleteBatch(batchSize)
    removed += count
    if (count < batchSize) return removed
    if (pauseMs > 0) await sleep(pauseMs)
  }
}
