// Put a data-testid on the real <input>/<textarea> inside a Vant field or uploader, so a test
// can fill or set files on it directly (Vant passes attributes to the wrapper, not the input).
import type { Directive } from 'vue'

const mark = (el: HTMLElement, id: string) => {
  const target = el.matches('input,textarea') ? el : el.querySelector('input,textarea')
  target?.setAttribute('data-testid', id)
}

export const vInputTestid: Directive<HTMLElement, string> = {
  mounted: (el, b) => mark(el, b.value),
  updated: (el, b) => mark(el, b.value),
}
