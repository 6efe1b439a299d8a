// vue-i18n for the desk: zh-CN by default, en on request; the choice is remembered.
import { createI18n } from 'vue-i18n'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import { storeLocale, storedLocale, type Locale } from '@/shared/locale'
import zhCN from './messages/zh-CN'
import en from './messages/en'

export type MessageSchema = typeof zhCN

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

function applyLocale(locale: Locale): void {
  document.documentElement.lang = locale
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn')
}
applyLocale(i18n.global.locale.value)

export function currentLocale(): Locale {
  return i18n.global.locale.value
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  storeLocale(locale)
  applyLocale(locale)
}
