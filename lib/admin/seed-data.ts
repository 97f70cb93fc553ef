// The products and the arrangement every deployment starts with
// (docs/product.md#entities-and-tables), and the demo accounts. Plain data with no
// server imports, so that the login page's demo mode can show the accounts too.
import { ArrangementStatus } from '@/lib/statuses'

export const SEED_PRODUCTS = [
  {
    code: '00000001',
    name: '摩拜单车微信免密支付',
    orgName: '摩拜单车',
    description: '用于无余额时支付单车车费, 以及除单车外费用结算时的优先支付方式, 用户无需输入密码, 每日最多扣款20次',
  },
  {
    code: '00000002',
    name: '上海公共交通微信免密支付',
    orgName: '上海公共交通乘车码',
    description: '刷码后自动通过微信支付扣取实际费用',
  },
] as const

/**
 * The deduction arrangement's terms (docs/product.md#terms-of-an-arrangement): the
 * user's account at the merchant, masked when shown and fixed once opened (another
 * account is another agreement); and how a debit is paid, the three ways a wallet's
 * auto-debit settings offer, the default payment order first since that is what a
 * password-free payment uses when the user says nothing.
 */
export const DEDUCTION_TERMS = {
  version: 1,
  properties: [
    { key: 'account', label: { zh: '开通账号', en: 'Account' }, type: 'text', maxLength: 32, required: false, changeable: false, masked: true },
    {
      key: 'paymentMethod',
      label: { zh: '扣款方式', en: 'Payment method' },
      type: 'choice',
      options: [
        { value: 'DEFAULT_ORDER', label: { zh: '按默认支付顺序', en: 'Default payment order' } },
        { value: 'BALANCE_FIRST', label: { zh: '零钱优先', en: 'Balance first' } },
        { value: 'BANK_CARD', label: { zh: '绑定的银行卡', en: 'Linked bank card' } },
      ],
      default: 'DEFAULT_ORDER',
      required: true,
      changeable: true,
      masked: false,
    },
  ],
} as const

export const SEED_ARRANGEMENTS = [
  {
    number: '00000001',
    name: '扣费合约',
    version: '20200504',
    type: 'Deduction',
    status: ArrangementStatus.IN_FORCE,
    properties: JSON.stringify(DEDUCTION_TERMS),
  },
] as const

export type DemoUser = { id: string; email: string; name: string; type: string; password: string }

/** Demo accounts; their passwords are public (printed by the seed, shown in demo mode). */
export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'U0000000000000001', email: 'alice@example.com', name: 'Alice', type: 'PERSONAL', password: 'alice-demo-pass' },
  { id: 'U0000000000000002', email: 'bob@example.com', name: 'Bob', type: 'PERSONAL', password: 'bob-demo-pass' },
  { id: 'U0000000000000003', email: 'carol@example.com', name: 'Carol', type: 'PERSONAL', password: 'carol-demo-pass' },
]
