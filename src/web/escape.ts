/**
 * Escaping for the HTML the web front end writes: text into elements and attributes, and JSON
 * into a `<script type="application/json">` block.
 *
 * Owns: the two escapes only. Does not: build markup (diagram.ts, state-panel.ts, report.ts).
 */

const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` safe inside an element or a double- or single-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c] ?? c);
}

/** `value` as JSON that cannot end its `<script>` block or open a comment (`<` is written `\u003c`). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
