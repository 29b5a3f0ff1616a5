/**
 * Seed 004, "How to optimize performance": each before/after pair of its advice as a scenario.
 * The "before" is the baseline, so a ratio below 1 means the advice pays off on this machine.
 */
import { defineScenario } from 'perfkit'
import {
  CountingSink,
  EnvelopePool,
  FrameEncoder,
  InMemoryEventStore,
  collectGrowing,
  collectMapped,
  collectPreallocated,
  encodeWithNewBuffers,
  makeEvents,
  makeItems,
  processFresh,
  processPooled,
  writeStreamed,
  writeWhole,
} from '../fixtures/pooling/index.ts'

const SOURCE = 'seed 004'

export default [
  defineScenario({
    name: 'preallocate-arrays',
    title: 'Pre-allocated vs growing arrays',
    source: SOURCE,
    description: 'Collect one event per item: append to an empty array, write into new Array(n), or map.',
    baseline: 'growing',
    params: { items: [1000] },
    setup: ({ params }) => ({ items: makeItems(Number(params.items)) }),
    variants: {
      growing: (s) => collectGrowing(s.items),
      preallocated: (s) => collectPreallocated(s.items),
      mapped: (s) => collectMapped(s.items),
    },
    claims: [
      { text: 'Pre-allocate slices with known capacity (avoids multiple allocations)', published: 'no figure given', check: 'preallocated: ratio < 1' },
      { text: 'Pre-allocation allocates less', check: 'preallocated: bytesPerOpRatio < 1' },
    ],
  }),

  defineScenario({
    name: 'object-pool',
    title: 'Pooled vs freshly allocated objects',
    source: SOURCE,
    description: 'Wrap each event of a batch in an envelope: a new object each time, or one from a free-list pool.',
    baseline: 'fresh',
    params: { events: [200] },
    setup: ({ params }) => ({ events: makeEvents(Number(params.events)), pool: new EnvelopePool() }),
    variants: {
      fresh: (s) => processFresh(s.events),
      pooled: (s) => processPooled(s.events, s.pool),
    },
    claims: [
      { text: 'Reuse event objects to reduce GC pressure', published: '25% less memory allocation (seed 001)', check: 'pooled: bytesPerOpRatio <= 0.75' },
      { text: 'Pooling is faster', check: 'pooled: ratio < 1' },
    ],
  }),

  defineScenario({
    name: 'buffer-reuse',
    title: 'Reused vs new buffers',
    source: SOURCE,
    description: 'Encode a batch of events as length-prefixed JSON frames: new buffers per event, or one buffer kept across calls.',
    baseline: 'new-buffers',
    params: { events: [200] },
    setup: ({ params }) => ({ events: makeEvents(Number(params.events)), encoder: new FrameEncoder() }),
    variants: {
      'new-buffers': (s) => encodeWithNewBuffers(s.events).length,
      reused: (s) => s.encoder.encode(s.events).length,
    },
    claims: [
      { text: 'Reuse buffers instead of allocating new ones', check: 'reused: ratio < 1' },
      { text: 'Reusing the buffer allocates less', check: 'reused: bytesPerOpRatio < 1' },
    ],
  }),

  defineScenario({
    name: 'json-streaming',
    title: 'Streamed vs whole JSON serialisation of a large batch',
    source: SOURCE,
    description: 'Write 5 000 events as one JSON array to a stream: stringify the whole batch, or event by event in 16 kB chunks with backpressure.',
    baseline: 'whole',
    params: { events: [5000] },
    setup: ({ params }) => ({ events: makeEvents(Number(params.events)), sink: new CountingSink() }),
    variants: {
      whole: (s) => writeWhole(s.sink, s.events),
      streamed: (s) => writeStreamed(s.sink, s.events),
    },
    claims: [
      { text: 'Use streaming for large payloads', check: 'streamed: bytesPerOpRatio < 1' },
      { text: 'Streaming costs no more time than one big stringify', check: 'streamed: ratio <= 1.05' },
    ],
  }),

  defineScenario({
    name: 'batch-save',
    title: 'Batch vs one-by-one saves',
    source: SOURCE,
    description: 'Save 100 events into an in-memory event store: one call per event, or one call for the batch.',
    baseline: 'one-by-one',
    params: { events: [100] },
    setup: ({ params }) => ({ events: makeEvents(Number(params.events)), store: new InMemoryEventStore() }),
    variants: {
      'one-by-one': async (s) => {
        let sequence = 0
        for (const event of s.events) sequence = await s.store.save([event])
        return sequence
      },
      batch: (s) => s.store.save(s.events),
    },
    budgets: ['batch: ratio < 1'],
    claims: [{ text: 'Single batch save instead of multiple individual saves', published: 'BatchSize: 200 "for bulk operations"', check: 'batch: ratio < 0.5' }],
  }),
]
