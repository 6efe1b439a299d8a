import messages from '@/modules/field/messages'
import { makeI18n } from '@/modules/portal/lang'

export const i18n = makeI18n(messages)
