import { runStatement } from '@/lib/db'
import type { RunStatement } from '@/lib/db/client'
import { isDemoDatabase } from '@/lib/db/database-mark'

/**
 * Whether a merchant may register, and send a browser back to, an http:// loopback
 * origin (localhost, 127.0.0.1, [::1]). Only on a database marked demo
 * (docs/operations.md#the-demo-mark), whatever DEMO_MODE says in the shell: anywhere
 * else a return origin is https. The one place that decides it.
 */
export async function allowsLoopbackReturnOrigins(run: RunStatement = runStatement): Promise<boolean> {
  return isDemoDatabase(run)
}
