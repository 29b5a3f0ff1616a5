/**
 * The shell of a self-contained page: inline styles, a JSON data block and inline scripts, under a
 * Content-Security-Policy that allows only those scripts (by hash). The run report and the flame-graph
 * pages are both built on it, so they open from `file://` and ask no network address for anything.
 */
import { createHash } from 'node:crypto'
import { jsonForScript } from '../escape.ts'
import { html, trusted, type SafeHtml } from './markup.ts'

export interface SelfContainedPage {
  title: string
  /** perfkit's own stylesheet, inlined as is. */
  css: string
  body: SafeHtml
  /** The id of the JSON block the page's scripts read their data from. */
  dataId: string
  /** Serialised into the JSON block: data, never executed. */
  data: unknown
  /** perfkit's own scripts (and the libraries it ships), inlined in this order after the data. */
  scripts: readonly string[]
}

/** A CSP source for one inline script: its SHA-256 hash. */
function scriptHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`
}

/**
 * The document. The JSON block is data (never executed); the scripts are allowed by hash, so an
 * injected script or event handler would be refused even if escaping failed somewhere.
 */
export function selfContainedPage(page: SelfContainedPage): string {
  const csp = [
    "default-src 'none'",
    `script-src ${page.scripts.map(scriptHash).join(' ')}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="perfkit">
<title>${page.title}</title>
<style>${trusted(page.css)}</style>
</head>
<body>
${page.body}
<script type="application/json" id="${page.dataId}">${trusted(jsonForScript(page.data))}</script>
${page.scripts.map((source) => html`<script>${trusted(source)}</script>\n`)}</body>
</html>
`.value
}
