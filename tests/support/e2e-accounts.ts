// The accounts scripts/e2e-users.ts creates for the test suites, e2e01…e2e40@example.com, one
// password for all; each suite takes users of its own so that single-device login never crosses suites.
export const E2E_PASSWORD = 'e2e-password-Ω1'
export const e2eUser = (n: number) => {
  const id = String(n).padStart(2, '0')
  return { email: `e2e${id}@example.com`, password: E2E_PASSWORD, userId: `E2E00000000000${id}`, name: `E2E ${id}` }
}
