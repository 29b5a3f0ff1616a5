import { describe, expect, it } from 'vitest'
import { Progress } from '../../cli/report/progress.ts'
import { timingText } from '../../cli/report/console.ts'

function stream() {
  const written: string[] = []
  return { written, stream: { write: (text: string) => written.push(text), columns: 200 } as unknown as NodeJS.WriteStream }
}

describe('progress', () => {
  it('shows the time left from the cases done so far, in plain lines too', () => {
    let clock = 0
    const { written, stream: out } = stream()
    const progress = new Progress(out, false, () => clock)
    progress.handle({ type: 'scenario-start', scenario: 'a', index: 0, total: 4, variants: ['x', 'y'] })
    clock += 30_000
    progress.handle({ type: 'scenario-start', scenario: 'b', index: 1, total: 4, variants: ['x'] })
    clock += 30_000
    progress.handle({ type: 'scenario-start', scenario: 'c', index: 2, total: 4, variants: ['x'] })
    expect(written).toEqual(['[1/4] a: x, y\n', '[2/4, ~2 min left] b: x\n', '[3/4, ~1 min left] c: x\n'])
  })
  it('counts seconds under a minute', () => {
    let clock = 0
    const { written, stream: out } = stream()
    const progress = new Progress(out, false, () => clock)
    progress.handle({ type: 'scenario-start', scenario: 'a', index: 0, total: 2, variants: ['x'] })
    clock += 12_000
    progress.handle({ type: 'scenario-start', scenario: 'b', index: 1, total: 2, variants: ['x'] })
    expect(written[1]).toBe('[2/2, ~12 s left] b: x\n')
  })
})

describe('timingText', () => {
  it('names where the time went, in order, and what was not attributed', () => {
    const text = timingText({ start: 2200, setup: 10, warmup: 2800, rounds: 4400, passes: 130, teardown: 150 }, 10_000)
    expect(text).toBe(
      'time: 10.0 s — process start-up and scenario load 2.20 s · setup 10.0 ms · warm-up and calibration 2.80 s · timed rounds 4.40 s · memory and traced passes 130 ms · teardown 150 ms · other 310 ms',
    )
  })
})
