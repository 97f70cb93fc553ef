'use client'

import Link, { useLinkStatus } from 'next/link'
import { usePathname } from 'next/navigation'

export type NavItem = { href: string; label: string }

function isCurrent(pathname: string, href: string): boolean {
  // "/services/open" is its own tab; every other "/services/…" page belongs to "my services"
  if (href === '/services') return pathname === '/services' || (pathname.startsWith('/services/') && !pathname.startsWith('/services/open'))
  return pathname === href || pathname.startsWith(`${href}/`)
}

/** The three tabs under the header; the current one is marked for sight and for screen readers. */
export function MainNav({ items, label }: { items: NavItem[]; label: string }) {
  const pathname = usePathname()
  return (
    <nav aria-label={label}>
      <ul className="flex">
        {items.map((item) => {
          const current = isCurrent(pathname, item.href)
          return (
            <li key={item.href} className="flex-1 sm:flex-none">
              <Link
                href={item.href}
                aria-current={current ? 'page' : undefined}
                className={`relative flex min-h-11 items-center justify-center px-1 text-sm whitespace-nowrap min-[360px]:text-[0.9375rem] sm:px-4 ${
                  current ? 'font-semibold text-ink' : 'text-muted hover:text-ink'
                }`}
              >
                {item.label}
                <TabIndicator current={current} />
              </Link>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}

/** The green bar under the current tab; it pulses under a tab whose page is still loading. */
function TabIndicator({ current }: { current: boolean }) {
  const { pending } = useLinkStatus()
  return (
    <span
      aria-hidden="true"
      className={`absolute inset-x-1/4 bottom-0 h-0.5 rounded-full sm:inset-x-4 ${
        pending ? 'animate-pulse bg-brand/60' : current ? 'bg-brand' : 'bg-transparent'
      }`}
    />
  )
}
