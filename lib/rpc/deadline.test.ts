// one database is enough: uses no database
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseGrpcTimeout } from '@/lib/rpc/deadline'

test('grpc-timeout is read in every unit gRPC defines', () => {
  assert.equal(parseGrpcTimeout('2H'), 7_200_000)
  assert.equal(parseGrpcTimeout('3M'), 180_000)
  assert.equal(parseGrpcTimeout('5S'), 5000)
  assert.equal(parseGrpcTimeout('300m'), 300)
  assert.equal(parseGrpcTimeout('1500u'), 1.5)
  assert.equal(parseGrpcTimeout('99999999n'), 99.999999)
})

test("a malformed grpc-timeout is ignored, leaving the server's bound", () => {
  for (const value of [undefined, '', '10', 'm', '123456789m', '1.5S', '-1S', '10s', ' 10S', '10S ']) assert.equal(parseGrpcTimeout(value), undefined, String(value))
  assert.equal(parseGrpcTimeout(['1S', '2S']), undefined)
})
