import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'
import type { Result } from 'axe-core'

/**
 * axe-core's findings of impact "serious" or "critical" on the page as it is now: the ones
 * that fail a test.
 * - Legacy mode runs axe in the page itself. The default mode opens a blank page for every
 *   scan, to gather the results of cross-origin frames there, and that page costs more than
 *   the scan: on an idle two-core machine a scan took 1.4–2 s, of which axe's own run was
 *   about 0.1 s, and the accessibility test 43 s instead of 29 s. The app's pages have
 *   no frames, so the rules and the elements scanned are the same.
 * - Only violations are gathered (`resultTypes`): the passing and inapplicable checks would
 *   be listed element by element and then thrown away.
 */
export async function seriousFindings(page: Page): Promise<Result[]> {
  const { violations } = await new AxeBuilder({ page }).setLegacyMode().options({ resultTypes: ['violations'] }).analyze()
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** Fails the test with each serious or critical finding's rule and what it asks for. */
export async function expectAxeClean(page: Page) {
  expect((await seriousFindings(page)).map((v) => `${v.id}: ${v.help}`)).toEqual([])
}
