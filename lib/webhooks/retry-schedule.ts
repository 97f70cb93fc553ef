/**
 * The delay before the next attempt after `attempts` failed ones: the base,
 * doubled each time, capped, with up to 20 % taken off at random so that the
 * deliveries of one outage do not all come back in the same second.
 */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30))
  return Math.round(exponential * (1 - 0.2 * random()))
}
