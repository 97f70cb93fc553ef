import path from 'node:path'
import { createClient } from '@connectrpc/connect'
import { createConnectTransport } from '@connectrpc/connect-node'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import { test, expect, createUser } from './fixtures'
import { User } from '../lib/gen/user_pb'
import { Company } from '../lib/gen/deduction_pb'

// chosen by playwright.config.ts
const PORT = Number(process.env.E2E_PORT)
const GRPC_PORT = Number(process.env.E2E_GRPC_PORT)

test('a Connect client generated from the published protos calls all three calls (JSON over HTTP/1.1)', async () => {
  const transport = createConnectTransport({ baseUrl: `http://127.0.0.1:${PORT}/api`, httpVersion: '1.1', useBinaryFormat: false })
  const user = createClient(User, transport)
  const company = createClient(Company, transport)
  const who = await createUser()
  const login = await user.login({ loginKey: who.email, loginValue: who.password })
  expect(login.code).toBe('00')
  const target = { token: login.token, arrangementType: 'Deduction', productCode: '00000002', userId: login.userId }
  expect((await company.createDeductionService(target)).code).toBe('00')
  const list = await company.queryDeductionListByUserIdAndArType({ token: login.token, arrangementType: 'Deduction', userId: login.userId })
  expect(list.simpliedProductInfo.map((p) => [p.productCode, p.proudctOrgName])).toEqual([['00000002', '上海公共交通乘车码']])
  expect((await company.closeDeductionService(target)).code).toBe('00')
  expect((await company.closeDeductionService(target)).code).toBe('17')
})

type Callback<T> = (error: grpc.ServiceError | null, value?: T) => void
type Answer = { status: string; code: string; desc: string; token?: string; userId?: string; simpliedProductInfo?: { productCode: string }[] }
type Unary = (request: object, callback: Callback<Answer>) => void

test('a gRPC client loading the proto text calls all three calls over HTTP/2', async () => {
  const definition = protoLoader.loadSync([path.resolve('proto/user.proto'), path.resolve('proto/deduction.proto')], { keepCase: true, defaults: true })
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    user: { User: grpc.ServiceClientConstructor }
    deduction: { Company: grpc.ServiceClientConstructor }
  }
  const address = `127.0.0.1:${GRPC_PORT}`
  const userClient = new loaded.user.User(address, grpc.credentials.createInsecure())
  const companyClient = new loaded.deduction.Company(address, grpc.credentials.createInsecure())
  const call = (client: grpc.Client, method: string, request: object) =>
    new Promise<Answer>((resolve, reject) => {
      const fn = (client as unknown as Record<string, Unary>)[method].bind(client)
      fn(request, (error, value) => (error ? reject(error) : resolve(value as Answer)))
    })
  try {
    const who = await createUser()
    const login = await call(userClient, 'Login', { loginKey: who.email, loginValue: who.password })
    expect(login.code).toBe('00')
    const target = { token: login.token, arrangementType: 'Deduction', productCode: '00000001', userId: login.userId }
    expect((await call(companyClient, 'CreateDeductionService', target)).code).toBe('00')
    expect((await call(companyClient, 'CreateDeductionService', target)).code).toBe('16')
    const list = await call(companyClient, 'QueryDeductionListByUserIdAndArType', { token: login.token, arrangementType: 'Deduction', userId: login.userId })
    expect(list.simpliedProductInfo?.map((p) => p.productCode)).toEqual(['00000001'])
    expect((await call(companyClient, 'CloseDeductionService', target)).code).toBe('00')
  } finally {
    userClient.close()
    companyClient.close()
  }
})
