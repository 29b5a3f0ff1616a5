/** Seed 002's filter builder and the SQL built from it: pure, known answers. */
import { describe, expect, it } from 'vitest'
import { P, appendSql, buildEventFilter, filterParams, filterShape, querySql } from '../../fixtures/eventstore/index.ts'

describe('buildEventFilter', () => {
  it('sanitises as the seed does: empty values dropped, duplicates removed, sorted', () => {
    const filter = buildEventFilter()
      .matching()
      .anyEventTypeOf('B', '', 'A', 'B')
      .andAnyPredicateOf(P('z', '1'), P('a', '2'), P('z', '1'), P('', 'x'), P('k', ''))
      .finalize()
    expect(filter).toEqual({ items: [{ eventTypes: ['A', 'B'], predicates: [P('a', '2'), P('z', '1')], allPredicates: false }] })
  })

  it('joins items with OR and keeps ALL-predicate items apart', () => {
    const filter = buildEventFilter().matching().allPredicatesOf(P('a', '1'), P('b', '2')).andAnyEventTypeOf('T').orMatching().anyEventTypeOf('U').finalize()
    expect(filter.items).toEqual([
      { eventTypes: ['T'], predicates: [P('a', '1'), P('b', '2')], allPredicates: true },
      { eventTypes: ['U'], predicates: [], allPredicates: false },
    ])
    expect(buildEventFilter().matchingAnyEvent()).toEqual({ items: [] })
  })

  it('refuses an item with neither an event type nor a predicate', () => {
    expect(() => buildEventFilter().matching().anyEventTypeOf('').finalize()).toThrow(/at least one event type or predicate/)
  })
})

describe('the SQL of a filter', () => {
  const book = (id: string) => buildEventFilter().matching().anyEventTypeOf('Added', 'Lent').andAnyPredicateOf(P('BookID', id)).finalize()

  it('depends only on the shape; values are parameters, predicates JSON containment', () => {
    expect(filterShape(book('1'))).toBe('TP1')
    expect(querySql(book('1'))).toBe(querySql(book('2')))
    expect(querySql(book('1'))).toEqual({
      name: 'es_query_TP1',
      text: 'SELECT sequence_number, event_type, occurred_at, payload, metadata FROM events WHERE (event_type = ANY($1::text[]) AND payload @> $2::jsonb) ORDER BY sequence_number',
    })
    expect(filterParams(book('x"y'))).toEqual([['Added', 'Lent'], '{"BookID":"x\\"y"}'])
  })

  it('numbers the parameters of several items in order, AND for all-predicates, OR for any', () => {
    const filter = buildEventFilter()
      .matching()
      .anyPredicateOf(P('BookID', 'b'), P('ReaderID', 'r'))
      .orMatching()
      .anyEventTypeOf('T')
      .andAllPredicatesOf(P('a', '1'), P('b', '2'))
      .finalize()
    expect(filterShape(filter)).toBe('P2_TA2')
    expect(querySql(filter).text).toContain('WHERE (payload @> $1::jsonb OR payload @> $2::jsonb) OR (event_type = ANY($3::text[]) AND (payload @> $4::jsonb AND payload @> $5::jsonb))')
    expect(filterParams(filter)).toEqual(['{"BookID":"b"}', '{"ReaderID":"r"}', ['T'], '{"a":"1"}', '{"b":"2"}'])
    expect(querySql(buildEventFilter().matchingAnyEvent()).text).toBe('SELECT sequence_number, event_type, occurred_at, payload, metadata FROM events ORDER BY sequence_number')
  })

  it('appends with one conditional INSERT whose CTE checks the stream, one event or several', () => {
    const one = appendSql(book('1'), 1)
    expect(one.name).toBe('es_append_1_TP1')
    expect(one.text).toBe(
      'WITH context AS (SELECT max(sequence_number) AS max_seq FROM (SELECT sequence_number FROM events WHERE (event_type = ANY($1::text[]) AND payload @> $2::jsonb) OFFSET 0) AS stream)\n' +
        'INSERT INTO events (event_type, occurred_at, payload, metadata)\n' +
        'SELECT $3::text, $4::timestamptz, $5::jsonb, $6::jsonb FROM context WHERE COALESCE(context.max_seq, 0) = $7::bigint\n' +
        'RETURNING sequence_number',
    )
    const many = appendSql(book('1'), 5)
    expect(many.name).toBe('es_append_n_TP1')
    expect(many.text).toContain('unnest($3::text[], $4::timestamptz[], $5::jsonb[], $6::jsonb[]) WITH ORDINALITY')
    expect(many.text).toContain('WHERE COALESCE(context.max_seq, 0) = $7::bigint ORDER BY vals.n')
    expect(appendSql(book('2'), 3)).toBe(many)
  })
})
