import { getTranslations } from 'next-intl/server'
import { signOutAction } from '@/app/actions/sign-out'
import { SubmitButton } from '@/components/ui/submit-button'

/** Ends this session. A plain form posting the action, so it also works without JavaScript. */
export async function SignOutButton() {
  const t = await getTranslations('devices')
  return (
    // data-sign-out: the page's session watch stands down, since this page leaves by itself
    <form action={signOutAction} data-sign-out>
      <SubmitButton pendingLabel={t('signingOut')} variant="danger-outline" size="lg" data-testid="sign-out">
        {t('signOut')}
      </SubmitButton>
    </form>
  )
}
