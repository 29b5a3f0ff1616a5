/** The broker's timeout on the null backend: the deadline's timer fires while work waits, for many calls at once. */
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import pino from 'pino'
import { NullDatabase } from '../../fixtures/db/index.ts'
import { Broker, BrokerTimeoutError, type UseCase } from '../../fixtures/broker/index.ts'

const quiet = pino({ level: 'silent' })

/** Waits, then fails without ever looking at the deadline: only the timer can tell the broker the time is up. */
const waitThenFail = (ms: number): UseCase => ({
  name: 'waitThenFail',
  async execute() {
    await sleep(ms)
    throw new Error('failed after waiting')
  },
})

const quick: UseCase = {
  name: 'quick',
  async execute() {
    return new Map([['done', true]])
  },
}

describe('broker deadlines', () => {
  it('a deadline that passes while the work waits turns its failure into BrokerTimeoutError, and rolls back', async () => {
    const db = new NullDatabase()
    const broker = new Broker(db, quiet)
    await expect(broker.runUseCases([waitThenFail(300)], {}, { timeoutMs: 20 })).rejects.toBeInstanceOf(BrokerTimeoutError)
    await expect(broker.runUseCases([waitThenFail(1)], {}, { timeoutMs: 2000 })).rejects.toThrow('failed after waiting')
    expect(db.counts).toMatchObject({ begins: 2, rollbacks: 2, commits: 0 })
  })

  it('one timer serves many calls of the same timeout, finished or not, in any order', async () => {
    const db = new NullDatabase()
    const broker = new Broker(db, quiet)
    const calls = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? broker.runUseCases([quick], {}, { timeoutMs: 30 }) : broker.runUseCases([waitThenFail(300 + i)], {}, { timeoutMs: 30 }),
    )
    const outcomes = await Promise.allSettled(calls)
    outcomes.forEach((outcome, i) => {
      if (i % 2 === 0) expect(outcome).toMatchObject({ status: 'fulfilled' })
      else expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(BrokerTimeoutError)
    })
    // Calls after a quiet spell still get a working timer.
    await sleep(50)
    await expect(broker.runUseCases([waitThenFail(300)], {}, { timeoutMs: 10 })).rejects.toBeInstanceOf(BrokerTimeoutError)
    expect(db.counts).toMatchObject({ begins: 41, commits: 20, rollbacks: 21 })
  })
})
