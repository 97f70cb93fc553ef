import type { ComponentPropsWithoutRef, ReactNode } from 'react'

const SURFACE = 'rounded-card bg-card shadow-[0_1px_2px_rgb(0_0_0/0.04)]'

/** The white rounded surface every group of content sits on. */
export function Card({ className = '', ...props }: ComponentPropsWithoutRef<'div'>) {
  return <div className={`${SURFACE} ${className}`} {...props} />
}

/**
 * The same surface for a card that one link opens (the link marked `data-card-link`): it
 * lifts on hover, and the link's focus ring is drawn round the whole card.
 */
export const LINKED_CARD =
  `relative ${SURFACE} p-4 transition-shadow hover:shadow-md ` +
  'has-[a[data-card-link]:focus-visible]:outline-2 has-[a[data-card-link]:focus-visible]:outline-offset-2 has-[a[data-card-link]:focus-visible]:outline-brand-strong'

/** A titled card section; the title is a real heading so screen-reader users can jump between sections. */
export function Section({
  title,
  id,
  children,
  className = '',
  tone = 'default',
}: {
  title: ReactNode
  id: string
  children: ReactNode
  className?: string
  tone?: 'default' | 'danger'
}) {
  return (
    <section aria-labelledby={id} className={className}>
      <h2
        id={id}
        className={`mb-2 px-1 text-[0.8125rem] font-medium ${tone === 'danger' ? 'text-danger' : 'text-muted'}`}
      >
        {title}
      </h2>
      <Card>{children}</Card>
    </section>
  )
}
