/**
 * Building HTML so that escaping is the default: the `html` tag escapes every interpolated value unless
 * it is already `SafeHtml` (the result of another `html` call). Text from a result can only reach the
 * page escaped; the one way round it, `trusted`, is for the report's own constants.
 */
import { escapeHtml } from '../escape.ts'

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

export type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[]

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof SafeHtml) return value.value
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(value)
}

/** A template whose interpolations are escaped (arrays are joined; null, undefined and false vanish). */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]
  return new SafeHtml(out)
}

/** Markup written by perfkit itself (CSS, inlined libraries). Never pass text from a result. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup)
}

export const EMPTY = new SafeHtml('')

export function isEmpty(markup: SafeHtml): boolean {
  return markup.value.trim() === ''
}

export interface Column<Row> {
  header: Interpolation
  cell: (row: Row) => Interpolation
  /** Right-aligned, tabular figures. @default false */
  numeric?: boolean
  /** Tooltip on the header, e.g. how a figure was measured. */
  help?: string
}

export interface TableOptions<Row> {
  caption?: Interpolation
  className?: string
  /** Extra rows under a row (a variant's error message …), spanning every column. */
  detail?: (row: Row) => Interpolation
  /** A class for the row, e.g. its state. */
  rowClass?: (row: Row) => string | undefined
}

/** A table whose numeric columns are right-aligned; rows come out in the order given. */
export function table<Row>(columns: Column<Row>[], rows: readonly Row[], options: TableOptions<Row> = {}): SafeHtml {
  const head = columns.map((c) => html`<th scope="col"${c.numeric ? html` class="num"` : ''}${c.help ? html` title="${c.help}"` : ''}>${c.header}</th>`)
  const body = rows.map((row) => {
    const cells = columns.map((c, i) => {
      const tag = i === 0 ? 'th' : 'td'
      const attrs = html`${i === 0 ? html` scope="row"` : ''}${c.numeric ? html` class="num"` : ''}`
      return html`${trusted(`<${tag}`)}${attrs}>${c.cell(row)}${trusted(`</${tag}>`)}`
    })
    const rowClass = options.rowClass?.(row)
    const detail = options.detail?.(row)
    const detailRow = detail === undefined || detail === null || detail === false || detail === ''
      ? EMPTY
      : html`<tr class="detail${rowClass ? ` ${rowClass}` : ''}"><td colspan="${columns.length}">${detail}</td></tr>`
    return html`<tr${rowClass ? html` class="${rowClass}"` : ''}>${cells}</tr>${detailRow}`
  })
  return html`<div class="table-wrap"><table${options.className ? html` class="${options.className}"` : ''}>${options.caption ? html`<caption>${options.caption}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`
}
