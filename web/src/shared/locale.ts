// The user's language: zh-CN by default, en on request, remembered in localStorage.
export type Locale = 'zh-CN' | 'en'
export const LOCALES: readonly Locale[] = ['zh-CN', 'en']
export const LOCALE_KEY = 'bihuan.locale'

/** A text in both languages, as the API sends labels and messages. */
export type LocalizedText = Partial<Record<string, string>>

export function isLocale(v: unknown): v is Locale {
  return v === 'zh-CN' || v === 'en'
}

export function storedLocale(): Locale {
  try {
    const v = localStorage.getItem(LOCALE_KEY)
    return isLocale(v) ? v : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export function storeLocale(locale: Locale): void {
  try {
    localStorage.setItem(LOCALE_KEY, locale)
  } catch {
    // private mode: the choice simply lasts for this page
  }
}

/** Pick the text for `locale`, falling back to the other language, then to `fallback`. */
export function pick(text: LocalizedText | null | undefined, locale: string, fallback = ''): string {
  if (!text) return fallback
  return text[locale] ?? text['zh-CN'] ?? text.en ?? fallback
}
