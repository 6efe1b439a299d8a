import { beforeEach, describe, expect, it } from 'vitest'
import { applyLang, makeI18n, savedLang } from './lang'

const messages = {
  'zh-CN': { hi: '你好', wait: '请 {s} 秒后再试', only: { zh: '只有中文' } },
  en: { hi: 'Hello', wait: 'Wait {s} s' },
}

describe('makeI18n', () => {
  beforeEach(() => localStorage.clear())

  it('speaks Chinese by default and follows a switch', () => {
    const { t, locale } = makeI18n(messages)
    expect(t('hi')).toBe('你好')
    applyLang(locale, 'en')
    expect(t('hi')).toBe('Hello')
    expect(document.documentElement.lang).toBe('en')
    expect(savedLang()).toBe('en')
  })

  it('starts in the remembered language', () => {
    localStorage.setItem('bihuan.lang', 'en')
    expect(makeI18n(messages).t('hi')).toBe('Hello')
  })

  it('fills named values and leaves unknown ones', () => {
    const { t } = makeI18n(messages)
    expect(t('wait', { s: 30 })).toBe('请 30 秒后再试')
    expect(t('wait', {})).toBe('请 {s} 秒后再试')
  })

  it('falls back to Chinese, then to the key', () => {
    const { t, locale } = makeI18n(messages)
    applyLang(locale, 'en')
    expect(t('only.zh')).toBe('只有中文')
    expect(t('nope.nothing')).toBe('nope.nothing')
    expect(t('only')).toBe('only')
  })
})
