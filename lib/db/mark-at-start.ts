import type { Config } from '@/lib/config'
import { describeDatabase, markOnFirstUse } from '@/lib/db/database-mark'

export type MarkAtStart = { state: 'refused'; message: string } | { state: 'ready'; demoMode: boolean; warning?: string }

/**
 * The server's look at the database mark as it starts (docs/operations.md#the-demo-mark):
 * a production start marks a new database production; DEMO_MODE=true on a database that
 * is not a demo stops the start; demo mode by default (a local run) just stays off there.
 */
export async function checkMarkAtStart(settings: Config): Promise<MarkAtStart> {
  const mark = await markOnFirstUse(settings.DEMO_MODE === true ? 'server start with DEMO_MODE=true' : `server start (NODE_ENV=${settings.NODE_ENV})`)
  if (settings.DEMO_MODE === true && mark !== 'demo') {
    const state = mark === 'production' ? 'is marked production' : 'holds data but is not marked as a demo database'
    return {
      state: 'refused',
      message:
        `DEMO_MODE=true is refused: ${describeDatabase()} ${state}. A demo runs on a database of its own, marked demo when it is ` +
        'created (`npm run demo`); start without DEMO_MODE here (docs/operations.md#the-demo-mark).',
    }
  }
  if (mark === 'demo' && !settings.demoMode) {
    return { state: 'ready', demoMode: false, warning: `${describeDatabase()} is marked demo: its demo accounts have public passwords and demo:reset may empty it` }
  }
  return { state: 'ready', demoMode: settings.demoMode && mark === 'demo' }
}
