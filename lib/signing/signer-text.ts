import { createTranslator } from 'next-intl'
import type { Locale } from '@/lib/i18n/locale'
import type { SignerOutcome } from '@/lib/signing/signer-outcome'
import en from '@/messages/en.json'
import zh from '@/messages/zh.json'

const translators = {
  zh: createTranslator({ locale: 'zh', messages: zh, namespace: 'sign' }),
  en: createTranslator({ locale: 'en', messages: en, namespace: 'sign' }),
}

/**
 * Why a confirm or decline changed nothing, in the signer's language: the request had
 * already ended (signed by someone else, declined, expired, cancelled). The sign page
 * says the same of a request it shows ended (app/sign/[token]/page.tsx).
 */
export function unchangedMessage(outcome: Pick<SignerOutcome, 'status' | 'signedByOther'>, locale: Locale): string {
  const t = translators[locale]
  if (outcome.signedByOther || outcome.status === 'PENDING') return t('finishedByOther')
  return t(`finished.${outcome.status}`)
}
