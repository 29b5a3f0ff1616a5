/**
 * Escaping for the HTML report. Every string that comes from a scenario, a parameter, an error or the
 * environment passes through one of these before it reaches the document.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text safe for HTML element content and for quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch])
}

const SCRIPT_JSON_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
}

/**
 * JSON to place inside a `<script>` element. `<`, `>` and `&` become `\u003c`-style escapes so no
 * string in the data can close the element (`</script>`) or open a comment (`<!--`); U+2028/9 are
 * escaped because older JavaScript parsers treat them as line ends. JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => SCRIPT_JSON_ESCAPES[ch])
}

/**
 * Library code to inline in a `<script>` element. Minified code may hold `</script` or `<!--` inside
 * a string, template or regular expression, where either would end or confuse the element; `\x3C` is
 * `<` in all three, so the code means the same and the HTML parser sees no tag.
 */
export function scriptForInline(source: string): string {
  return source.replace(/<(\/script|!--)/gi, '\\x3C$1')
}

/** Schemes a link may use; anything else (`javascript:`, `data:` …) is shown as text, not linked. */
const SAFE_LINK = /^(?:[a-z][a-z0-9+.-]*:)?/i

/**
 * Whether `href` is safe to put in a link: a relative path, or an absolute `http(s):` or `file:` URL.
 * Control characters and whitespace are stripped first, as browsers do, so `java\tscript:` is caught.
 */
export function isSafeHref(href: string): boolean {
  const normalised = href.replace(/[\u0000-\u0020\u007f]/g, '')
  const scheme = SAFE_LINK.exec(normalised)?.[0] ?? ''
  if (scheme === '') return normalised.length > 0
  return ['http:', 'https:', 'file:'].includes(scheme.toLowerCase())
}
