// Points this Playwright worker's database client at the e2e server's database, the one
// playwright.config.ts chose (E2E_DATABASE_URL, or E2E_PGLITE_DIR: the server owns it and
// shares it on a socket, which the client finds), with the server's AUTH_SECRET and
// address, so that a session cookie sealed here is one the server opens. Called before
// the first query: the configuration is read once (lib/config.ts).
export function pointAtE2eDatabase(): void {
  const { E2E_DATABASE_URL, E2E_PGLITE_DIR, E2E_AUTH_SECRET, E2E_PORT } = process.env
  if (!E2E_AUTH_SECRET || !E2E_PORT || !(E2E_DATABASE_URL || E2E_PGLITE_DIR)) {
    throw new Error('the e2e database is not chosen: run the specs through `npx playwright test` (playwright.config.ts)')
  }
  if (E2E_DATABASE_URL) {
    process.env.DATABASE_URL = E2E_DATABASE_URL
  } else {
    delete process.env.DATABASE_URL
    process.env.PGLITE_DIR = E2E_PGLITE_DIR
  }
  process.env.AUTH_SECRET = E2E_AUTH_SECRET
  process.env.PUBLIC_URL = `http://127.0.0.1:${E2E_PORT}`
  // what the app's code logs here (a login ending the user's other session) is the server's business, not the report's
  process.env.LOG_LEVEL = 'silent'
}
