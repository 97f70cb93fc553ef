// Shared looks for buttons and for links that act as buttons, so both read the same.
export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'danger-outline' | 'quiet'
export type ButtonSize = 'sm' | 'md' | 'lg'

const base =
  'inline-flex items-center justify-center gap-2 rounded-full font-medium whitespace-nowrap transition-colors ' +
  'disabled:cursor-not-allowed disabled:opacity-70 aria-disabled:cursor-not-allowed'

const variants: Record<ButtonVariant, string> = {
  primary: 'bg-brand-strong text-white hover:bg-brand-hover',
  secondary: 'bg-white text-ink ring-1 ring-inset ring-line hover:bg-canvas',
  danger: 'bg-danger text-white hover:bg-danger-hover',
  'danger-outline': 'bg-white text-danger ring-1 ring-inset ring-danger/40 hover:bg-danger-soft',
  quiet: 'text-brand-strong hover:bg-brand-soft',
}

const sizes: Record<ButtonSize, string> = {
  sm: 'min-h-9 px-4 text-sm',
  md: 'min-h-11 px-5 text-[0.9375rem]',
  lg: 'min-h-12 w-full px-6 text-base',
}

export function buttonClass(variant: ButtonVariant = 'primary', size: ButtonSize = 'md', extra = ''): string {
  return `${base} ${variants[variant]} ${sizes[size]} ${extra}`.trim()
}
