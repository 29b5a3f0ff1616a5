/** 0x and Clinic doctor are optional: asked for and missing, they are one line naming what to install. */
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../cli/errors.ts'
import { isToolInstalled, parseTools } from '../../cli/profile/tools.ts'

const missing = (id: string): string => {
  throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' })
}

describe('optional profilers', () => {
  it('a tool whose package cannot be resolved is not installed; cpuprofile needs nothing', () => {
    expect(isToolInstalled('clinic-doctor', missing)).toBe(false)
    expect(isToolInstalled('0x', missing)).toBe(false)
    expect(isToolInstalled('cpuprofile', missing)).toBe(true)
    expect(isToolInstalled('0x', (id) => `/somewhere/${id}/index.js`)).toBe(true)
  })

  it('in this repository both are installed (devDependencies), so asking for them parses', () => {
    expect(parseTools(['0x,clinic-doctor'])).toEqual(['0x', 'clinic-doctor'])
  })

  it('an unknown tool is still one line naming the choices', () => {
    expect(() => parseTools(['flame'], '--profile-tool')).toThrow(UsageError)
    expect(() => parseTools(['flame'], '--profile-tool')).toThrow(/^--profile-tool flame: unknown profiler; use one of cpuprofile, 0x, clinic-doctor$/)
  })
})
