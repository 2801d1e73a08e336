/**
 * Chart data travels in a <script type="application/json"> tag that views/assets/charts.js reads:
 * the CSP forbids inline scripts, and data is not script. Escaping "<" keeps a label such as
 * "</script>" from ending the tag early.
 */
export function chartJson(data: Record<string, { labels: string[]; values: number[] }>): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
