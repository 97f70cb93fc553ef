/** The product's mark: a green tile with a card and a tick, drawn inline (no image request). */
export function BrandMark({ className = 'size-8' }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 32 32" className={className}>
      <rect width="32" height="32" rx="9" fill="#07c160" />
      <rect x="7" y="10" width="18" height="13" rx="2.5" fill="none" stroke="#fff" strokeWidth="2" />
      <path d="M7 14.5h18" stroke="#fff" strokeWidth="2" />
      <path d="m13 19 2 2 4-4" fill="none" stroke="#fff" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}
