import messages from '@/modules/portal/messages'
import { makeI18n } from '@/modules/portal/lang'

export const i18n = makeI18n(messages)
