// The phone pages' language: zh-CN by default, English on request, remembered on the phone.
import { createI18n } from 'vue-i18n'
import { Locale } from 'vant'
import enUS from 'vant/es/locale/lang/en-US'
import zhCN from 'vant/es/locale/lang/zh-CN'
import type { Lang } from './text'

export type { Lang }

const KEY = 'bihuan.lang'

export function savedLang(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

interface Tree {
  [key: string]: string | Tree
}

export function makeI18n(messages: Record<Lang, Tree>) {
  const i18n = createI18n<false>({ legacy: false, locale: savedLang(), fallbackLocale: 'zh-CN', messages })
  applyLang(i18n.global.locale, savedLang())
  return i18n
}

/** Switch the app, Vant's own texts and <html lang> together. */
export function applyLang(locale: { value: string }, lang: Lang) {
  locale.value = lang
  if (lang === 'en') Locale.use('en-US', enUS)
  else Locale.use('zh-CN', zhCN)
  document.documentElement.lang = lang
  try {
    localStorage.setItem(KEY, lang)
  } catch {
    /* private mode: the choice just is not remembered */
  }
}
