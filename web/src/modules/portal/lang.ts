// The phone pages' language: zh-CN by default, English on request, remembered on the phone.
// The customer's and the engineer's pages need only lookups with {named} values, so they get
// this small translator instead of vue-i18n (~17 KB gzipped with its message compiler, to load
// and run on every cold QR scan). The desk keeps vue-i18n.
import { inject, ref, type App, type InjectionKey, type Ref } from 'vue'
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

export interface Tree {
  [key: string]: string | Tree
}

export type Translate = (key: string, named?: Record<string, unknown>) => string

export interface PhoneI18n {
  locale: Ref<Lang>
  t: Translate
  install(app: App): void
}

const I18N: InjectionKey<PhoneI18n> = Symbol('phone-i18n')

function lookup(tree: Tree | undefined, key: string): string | undefined {
  let node: string | Tree | undefined = tree
  for (const part of key.split('.')) {
    if (!node || typeof node === 'string') return undefined
    node = node[part]
  }
  return typeof node === 'string' ? node : undefined
}

function show(lang: Lang) {
  if (lang === 'en') Locale.use('en-US', enUS)
  else Locale.use('zh-CN', zhCN)
  document.documentElement.lang = lang
}

/** `{name}` in a message takes `named.name`; an unknown key shows as itself. */
export function makeI18n(messages: Record<Lang, Tree>): PhoneI18n {
  const locale = ref<Lang>(savedLang())
  const t: Translate = (key, named) => {
    const text = lookup(messages[locale.value], key) ?? lookup(messages['zh-CN'], key) ?? key
    if (!named) return text
    return text.replace(/\{(\w+)\}/g, (all, name: string) => (name in named ? String(named[name]) : all))
  }
  const i18n: PhoneI18n = {
    locale,
    t,
    install(app) {
      app.provide(I18N, i18n)
      app.config.globalProperties.$t = t as typeof app.config.globalProperties.$t
    },
  }
  if (locale.value !== 'zh-CN') show(locale.value) // Vant and the page start out in Chinese
  return i18n
}

/** The app's translator and its language, in a component's setup. */
export function useI18n(): Pick<PhoneI18n, 't' | 'locale'> {
  const i18n = inject(I18N)
  if (!i18n) throw new Error('makeI18n() is not installed on this app')
  return i18n
}

/** Switch the app, Vant's own texts and <html lang> together, and remember the choice. */
export function applyLang(locale: { value: string }, lang: Lang) {
  locale.value = lang
  show(lang)
  try {
    localStorage.setItem(KEY, lang)
  } catch {
    /* private mode: the choice just is not remembered */
  }
}
