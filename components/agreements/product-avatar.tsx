// A merchant's mark: the first character of its organisation on a soft colour picked
// from the product code, so the same product always looks the same.
const palette = [
  'bg-[#e6f6ec] text-[#057a3d]',
  'bg-[#e8f1fd] text-[#1d5fbf]',
  'bg-[#fdf0e4] text-[#a04f00]',
  'bg-[#f1ebfb] text-[#6a3fb5]',
  'bg-[#e4f5f6] text-[#0b6d75]',
  'bg-[#fbe9ef] text-[#a8264f]',
]

function hash(text: string): number {
  let h = 0
  for (const ch of text) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0
  return h
}

export function ProductAvatar({ code, orgName, size = 'md' }: { code: string; orgName: string; size?: 'md' | 'lg' }) {
  const initial = [...orgName.trim()][0] ?? '·'
  const dims = size === 'lg' ? 'size-14 rounded-2xl text-2xl' : 'size-11 rounded-xl text-lg'
  return (
    <span
      aria-hidden="true"
      className={`flex shrink-0 items-center justify-center font-semibold ${dims} ${palette[hash(code) % palette.length]}`}
    >
      {initial.toUpperCase()}
    </span>
  )
}
