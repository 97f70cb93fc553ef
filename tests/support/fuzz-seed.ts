// One seed for every property of a fuzzing run, printed so that a failure can be
// replayed: FUZZ_SEED=<n> runs the same inputs again (fast-check draws them from the
// seed). FUZZ_PATH=<path> narrows fast-check to the counterexample's path, for a
// property whose outcome does not depend on the runs before it.
import type { Parameters } from 'fast-check'

function seedFromEnvironment(): number {
  const given = process.env.FUZZ_SEED
  if (given === undefined || given === '') return (Math.random() * 2 ** 32) | 0
  const seed = Number(given)
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, not ${JSON.stringify(given)}`)
  return seed
}

export const fuzzSeed = seedFromEnvironment()

/** fast-check's parameters for one property: the run's seed (printed), its runs, and a report that says how to replay. */
export function fuzzParameters<T>(property: string, numRuns: number): Parameters<T> {
  console.log(`fuzz: "${property}" with seed ${fuzzSeed} — replay with FUZZ_SEED=${fuzzSeed}`)
  const path = process.env.FUZZ_PATH || undefined
  return { seed: fuzzSeed, path, numRuns, endOnFailure: true, includeErrorInReport: true }
}
