import path from 'node:path'
import { createClient } from '@connectrpc/connect'
import { createConnectTransport } from '@connectrpc/connect-node'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import { test, expect, createUser, rpc } from './fixtures'
import { User } from '../lib/gen/user_pb'
import { Company } from '../lib/gen/deduction_pb'

// chosen by playwright.config.ts
const PORT = Number(process.env.E2E_PORT)
const GRPC_PORT = Number(process.env.E2E_GRPC_PORT)

test('Connect client: open with values, read the detail and history, change, list the catalogue and the sessions', async () => {
  const transport = createConnectTransport({ baseUrl: `http://127.0.0.1:${PORT}/api`, httpVersion: '1.1', useBinaryFormat: false })
  const user = createClient(User, transport)
  const company = createClient(Company, transport)
  const who = await createUser()
  const login = await user.login({ loginKey: who.email, loginValue: who.password })
  expect(login.code).toBe('00')
  const target = { token: login.token, arrangementType: 'Deduction', productCode: '00000001', userId: login.userId }

  const catalogue = await company.queryProductCatalogue({ token: login.token, arrangementType: 'Deduction', userId: login.userId })
  expect(catalogue.code).toBe('00')
  expect(catalogue.arrangement?.arrangementName).toBe('扣费合约')
  const terms = catalogue.arrangement?.properties ?? []
  expect(terms.map((t) => [t.key, t.label?.zh, t.type, t.changeable])).toEqual([
    ['account', '开通账号', 'text', false],
    ['paymentMethod', '扣款方式', 'choice', true],
  ])
  expect(terms[1].options.map((o) => o.value)).toEqual(['DEFAULT_ORDER', 'BALANCE_FIRST', 'BANK_CARD'])
  expect(terms[1].defaultValue).toBe('DEFAULT_ORDER')
  expect(catalogue.products.find((p) => p.productCode === '00000001')?.opened).toBe(false)

  const opened = await company.createDeductionService(
    { ...target, propertyValues: { account: '13812345678', paymentMethod: 'BALANCE_FIRST' } },
    { headers: { 'idempotency-key': `terms-open-${login.userId}` } },
  )
  expect(opened.code).toBe('00')
  expect((await company.queryProductCatalogue({ token: login.token, arrangementType: 'Deduction', userId: login.userId })).products.find((p) => p.productCode === '00000001')?.opened).toBe(true)

  const changed = await company.modifyDeductionService({ ...target, propertyValues: { paymentMethod: 'BANK_CARD' } }, { headers: { 'idempotency-key': `terms-change-${login.userId}` } })
  expect(changed.code).toBe('00')
  // the same key again: replayed, not changed twice
  expect((await company.modifyDeductionService({ ...target, propertyValues: { paymentMethod: 'BANK_CARD' } }, { headers: { 'idempotency-key': `terms-change-${login.userId}` } })).code).toBe('00')
  // a term that cannot be changed after opening
  const refused = await company.modifyDeductionService({ ...target, propertyValues: { account: '13900000000' } })
  expect([refused.code, refused.desc]).toEqual(['10', expect.stringContaining('propertyValues.account')])

  const detail = await company.queryDeductionDetail({ token: login.token, arrangementType: 'Deduction', productCode: '00000001', userId: login.userId })
  expect(detail.code).toBe('00')
  expect(detail.product?.productName).toBe('摩拜单车微信免密支付')
  expect(detail.product?.opened).toBe(true)
  expect(detail.openedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
  expect(detail.propertyValues).toEqual({ account: '13812345678', paymentMethod: 'BANK_CARD' })
  expect(detail.history.map((h) => [h.action, h.outcomeCode, h.propertyValues])).toEqual([
    ['OPEN', '00', { account: '13812345678', paymentMethod: 'BALANCE_FIRST' }],
    ['CHANGE', '00', { account: '13812345678', paymentMethod: 'BANK_CARD' }],
  ])

  const sessions = await user.querySessions({ token: login.token })
  expect(sessions.code).toBe('00')
  expect(sessions.current?.channel).toBe('api')
  expect(sessions.recent[0]?.outcome).toBe('SUCCESS')

  expect((await company.closeDeductionService(target)).code).toBe('00')
  const closed = await company.queryDeductionDetail({ token: login.token, arrangementType: 'Deduction', productCode: '00000001', userId: login.userId })
  expect([closed.openedAt, closed.propertyValues, closed.history.map((h) => h.action)]).toEqual(['', {}, ['OPEN', 'CHANGE', 'CLOSE']])
})

test('the Connect JSON form: the original four-field Create still opens with the defaults; hostile values answer 10 or 400 and open nothing', async ({ request }) => {
  const who = await createUser()
  const login = (await rpc(request, 'user.User/Login', { loginKey: who.email, loginValue: who.password })).json as unknown as { token: string; userId: string }
  const target = { token: login.token, arrangementType: 'Deduction', productCode: '00000002', userId: login.userId }
  const hostile: [unknown, number, string?][] = [
    [{ colour: 'red' }, 200, '10'],
    [{ paymentMethod: 'CREDIT' }, 200, '10'],
    [{ account: 'x'.repeat(2048) }, 200, '10'],
    [{ account: { nested: 'x' } }, 400],
    [{ account: 42 }, 400],
  ]
  for (const [propertyValues, http, code] of hostile) {
    const answer = await rpc(request, 'deduction.Company/CreateDeductionService', { ...target, propertyValues })
    expect([answer.http, answer.json.code], JSON.stringify(propertyValues).slice(0, 60)).toEqual([http, code ?? 'invalid_argument'])
  }
  const detail = async () => (await rpc(request, 'deduction.Company/QueryDeductionDetail', target)).json
  expect((await detail()).history).toEqual([])
  expect((await rpc(request, 'deduction.Company/CreateDeductionService', target)).json.code).toBe('00')
  expect((await detail()).propertyValues).toEqual({ paymentMethod: 'DEFAULT_ORDER' })
  expect((await rpc(request, 'deduction.Company/CloseDeductionService', target)).json.code).toBe('00')
})

type Callback<T> = (error: grpc.ServiceError | null, value?: T) => void
type Answer = Record<string, unknown> & { code: string }
type Unary = (request: object, callback: Callback<Answer>) => void

test('gRPC client loading the proto text: open with values, detail, change, catalogue and sessions over HTTP/2', async () => {
  const definition = protoLoader.loadSync([path.resolve('proto/user.proto'), path.resolve('proto/deduction.proto')], { keepCase: true, defaults: true })
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    user: { User: grpc.ServiceClientConstructor }
    deduction: { Company: grpc.ServiceClientConstructor }
  }
  const address = `127.0.0.1:${GRPC_PORT}`
  const userClient = new loaded.user.User(address, grpc.credentials.createInsecure())
  const companyClient = new loaded.deduction.Company(address, grpc.credentials.createInsecure())
  const call = (client: grpc.Client, method: string, request: object, metadata?: grpc.Metadata) =>
    new Promise<Answer>((resolve, reject) => {
      const fn = (client as unknown as Record<string, (...args: unknown[]) => void>)[method].bind(client)
      const done: Callback<Answer> = (error, value) => (error ? reject(error) : resolve(value as Answer))
      if (metadata) fn(request, metadata, done)
      else (fn as Unary)(request, done)
    })
  try {
    const who = await createUser()
    const login = await call(userClient, 'Login', { loginKey: who.email, loginValue: who.password })
    expect(login.code).toBe('00')
    const token = login.token as string
    const userId = login.userId as string
    const target = { token, arrangementType: 'Deduction', productCode: '00000002', userId }
    const catalogue = await call(companyClient, 'QueryProductCatalogue', { token, arrangementType: 'Deduction', userId })
    expect((catalogue.arrangement as { properties: { key: string }[] }).properties.map((p) => p.key)).toEqual(['account', 'paymentMethod'])
    expect((await call(companyClient, 'CreateDeductionService', { ...target, propertyValues: { paymentMethod: 'NOPE' } })).code).toBe('10')
    expect((await call(companyClient, 'CreateDeductionService', { ...target, propertyValues: { account: 'M-1001' } })).code).toBe('00')
    const metadata = new grpc.Metadata()
    metadata.set('idempotency-key', `grpc-change-${userId}`)
    expect((await call(companyClient, 'ModifyDeductionService', { ...target, propertyValues: { paymentMethod: 'BALANCE_FIRST' } }, metadata)).code).toBe('00')
    expect((await call(companyClient, 'ModifyDeductionService', { ...target, propertyValues: { paymentMethod: 'BALANCE_FIRST' } }, metadata)).code).toBe('00')
    const detail = await call(companyClient, 'QueryDeductionDetail', { token, arrangementType: 'Deduction', productCode: '00000002', userId })
    expect(detail.propertyValues).toEqual({ account: 'M-1001', paymentMethod: 'BALANCE_FIRST' })
    expect((detail.history as { action: string }[]).map((h) => h.action)).toEqual(['OPEN', 'CHANGE'])
    const sessions = await call(userClient, 'QuerySessions', { token })
    expect([sessions.code, (sessions.current as { channel: string }).channel]).toEqual(['00', 'api'])
    expect((await call(companyClient, 'CloseDeductionService', target)).code).toBe('00')
  } finally {
    userClient.close()
    companyClient.close()
  }
})
