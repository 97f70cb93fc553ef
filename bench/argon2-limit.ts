// The password-hash limit: how many argon2id verifications per second these
// cores can do with the app's parameters (lib/auth/password.ts), with nothing
// else running. argon2 works on libuv's thread pool (4 threads by default, as in
// the app), so keeping N verifications in flight uses up to N cores.
//   node --import tsx bench/argon2-limit.ts <seconds>   → one JSON line
import os from 'node:os'
import argon2 from 'argon2'
import { hashPassword } from '@/lib/auth/password'

const seconds = Number(process.argv[2] ?? 5)
const password = 'bench-password'
const hash = await hashPassword(password)

async function rate(inFlight: number): Promise<number> {
  let done = 0
  const until = performance.now() + seconds * 1000
  const worker = async () => {
    while (performance.now() < until) {
      if (!(await argon2.verify(hash, password))) throw new Error('verification failed')
      done++
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: inFlight }, worker))
  return done / ((performance.now() - started) / 1000)
}

const cpu0 = process.cpuUsage()
const cores = os.availableParallelism()
const byInFlight: Record<string, number> = {}
for (const n of [1, cores, 4]) byInFlight[n] ??= await rate(n)
const limit = Math.max(...Object.values(byInFlight))
const cpu = process.cpuUsage(cpu0)
const cpuSeconds = (cpu.user + cpu.system) / 1e6
process.stdout.write(JSON.stringify({ cores, hashesPerSecond: limit, byInFlight, msPerHash: 1000 / byInFlight[1], cpuSeconds }) + '\n')
