// The phones the demo can pretend to sign in from (devices page, demo mode only).
// Plain data with no server imports: the page's picker and the server action
// share it, and the action accepts no other name.
export const SIMULATED_PHONES = [
  'iPhone 16 · 微信',
  'HUAWEI Mate 70 · 微信',
  'Xiaomi 15 · 支付宝',
  'OPPO Find X8 · 微信',
  'iPhone 15 Pro · Safari',
] as const

export type SimulatedPhone = (typeof SIMULATED_PHONES)[number]

export function isSimulatedPhone(value: unknown): value is SimulatedPhone {
  return typeof value === 'string' && (SIMULATED_PHONES as readonly string[]).includes(value)
}
