/** A screen-and-phone glyph for a signed-in device. */
export function DeviceIcon() {
  return (
    <span aria-hidden="true" className="flex size-11 shrink-0 items-center justify-center rounded-xl bg-brand-soft text-brand-strong">
      <svg viewBox="0 0 24 24" fill="none" className="size-6">
        <rect x="2.75" y="4.75" width="14.5" height="10.5" rx="1.75" stroke="currentColor" strokeWidth="1.5" />
        <path d="M7 19.25h6" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        <rect x="15.75" y="9.75" width="5.5" height="9.5" rx="1.25" fill="white" stroke="currentColor" strokeWidth="1.5" />
      </svg>
    </span>
  )
}
