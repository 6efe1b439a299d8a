import { describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import { useDialogSave } from './useDialogSave'

const toasts: string[] = []
vi.mock('./notify', () => ({ notifySuccess: (m: string) => toasts.push(m) }))

describe('useDialogSave', () => {
  it('closes, toasts and hands over what was saved', async () => {
    const open = ref(true)
    const saved: number[] = []
    const { failure, busy, run } = useDialogSave<number>(open, (n) => saved.push(n))
    const pending = run(async () => 7, '已保存')
    expect(busy.value).toBe(true)
    await pending
    expect([open.value, busy.value, failure.value, saved, toasts.at(-1)]).toEqual([false, false, null, [7], '已保存'])
  })

  it('keeps the dialog open with the error for the form', async () => {
    const open = ref(true)
    const done = vi.fn()
    const { failure, busy, run } = useDialogSave(open, done)
    const err = new Error('name_taken')
    toasts.length = 0
    await run(async () => { throw err }, '已保存')
    expect([open.value, busy.value, failure.value, toasts.length]).toEqual([true, false, err, 0])
    expect(done).not.toHaveBeenCalled()
  })
})
