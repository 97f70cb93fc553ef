import type { ReactNode } from 'react'

/** The page's one h1, with an optional line of explanation under it. */
export function PageHeading({ title, intro, children }: { title: ReactNode; intro?: ReactNode; children?: ReactNode }) {
  return (
    <div className="mb-5 px-1">
      <h1 className="text-[1.375rem] font-semibold leading-snug tracking-tight">{title}</h1>
      {intro ? <p className="mt-1 text-sm text-muted">{intro}</p> : null}
      {children}
    </div>
  )
}
