// The new release's share of users, as nginx reads it: the split_clients block that
// deploy/nginx.conf includes from FC_RELEASE_SHARE_FILE (docs/operations.md#releasing).

export class ShareError extends Error {}

/** "5" → 5; a share is a percentage from 0 to 100 with at most two decimals (nginx's own precision). */
export function parseShare(text: string | undefined): number {
  if (text === undefined || !/^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/.test(text.trim())) {
    throw new ShareError(`the share is a percentage from 0 to 100 (at most two decimals), e.g. 5 or 0.5; got ${text === undefined ? 'nothing' : JSON.stringify(text)}`)
  }
  return Number(text.trim())
}

/** The share file's text: 0 sends everyone to the release in service, 100 everyone to the new one. */
export function shareFileText(share: number): string {
  if (!(share >= 0 && share <= 100)) throw new ShareError(`the share must lie between 0 and 100: ${share}`)
  const split = share === 0 ? ['  * old;'] : share === 100 ? ['  * new;'] : [`  ${share}% new;`, '  * old;']
  return [
    `# The share of users on the new release: ${share}%. Written by \`npm run release:share -- ${share}\``,
    '# (docs/operations.md#releasing); 0 sends everyone back to the release in service.',
    'split_clients "$fc_release_key" $fc_release {',
    ...split,
    '}',
    '',
  ].join('\n')
}

/** The share a share file holds. */
export function readShare(text: string): number {
  const percent = /^\s*([\d.]+)% new;/m.exec(text)
  if (percent) return Number(percent[1])
  return /^\s*\* new;/m.test(text) ? 100 : 0
}
