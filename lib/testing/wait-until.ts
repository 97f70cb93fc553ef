// The one wait-for-condition helper of the test suites: polls instead of sleeping a
// fixed time, so a test waits exactly as long as the thing it waits for takes.

/** Polls `condition` every `intervalMs` until it holds, or throws `message()` once `timeoutMs` have passed. */
export async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  message: () => string,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(message())
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** Polls `find` until it returns something other than undefined, and resolves with it. */
export async function waitFor<T>(find: () => Promise<T | undefined> | T | undefined, timeoutMs: number, message: () => string, intervalMs = 50): Promise<T> {
  let found: T | undefined
  await waitUntil(async () => (found = await find()) !== undefined, timeoutMs, message, intervalMs)
  return found as T
}
