/** Pure parts of the data-backed fixtures: telling a lost server from a failed statement; driving a cache at an exact hit rate. */
import { describe, expect, it } from 'vitest'
import { isConnectionLoss } from '../../fixtures/db/postgres.ts'
import { HitRateDriver } from '../../fixtures/services/hit-rate.ts'

describe('isConnectionLoss', () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code })
  it('is true for socket failures and a server shutting down', () => {
    expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true)
    expect(isConnectionLoss(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true)
    expect(isConnectionLoss(withCode('read ECONNRESET', 'ECONNRESET'))).toBe(true)
    expect(isConnectionLoss(withCode('terminating connection due to administrator command', '57P01'))).toBe(true)
    expect(isConnectionLoss(withCode('connection failure', '08006'))).toBe(true)
  })
  it('is false for a statement that failed', () => {
    expect(isConnectionLoss(withCode('could not serialize access due to read/write dependencies among transactions', '40001'))).toBe(false)
    expect(isConnectionLoss(withCode('duplicate key value violates unique constraint "users_email_key"', '23505'))).toBe(false)
    expect(isConnectionLoss('a string')).toBe(false)
  })
})

describe('HitRateDriver', () => {
  const hot = [1, 2, 3, 4, 5]
  const hits = (driver: HitRateDriver, n: number) => Array.from({ length: n }, () => driver.next()).filter((id) => hot.includes(id)).length

  it.each([0, 0.5, 0.8, 1])('reads hot ids at exactly the rate asked (%f) over any window', (rate) => {
    const driver = new HitRateDriver(rate, hot, 100, 100_000)
    expect(hits(driver, 1000)).toBe(Math.round(1000 * rate))
    // Any later window of 10 reads is within one of 10 × rate.
    for (let w = 0; w < 20; w++) expect(Math.abs(hits(driver, 10) - 10 * rate)).toBeLessThanOrEqual(1)
  })

  it('never repeats a cold id before the whole cold range was walked', () => {
    const driver = new HitRateDriver(0, [], 10, 19)
    expect(Array.from({ length: 12 }, () => driver.next())).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 10, 11])
  })

  it('refuses a rate outside 0..1, and a positive rate without hot ids', () => {
    expect(() => new HitRateDriver(1.5, hot, 1, 2)).toThrow(RangeError)
    expect(() => new HitRateDriver(0.5, [], 1, 2)).toThrow(/needs hot ids/)
  })
})
