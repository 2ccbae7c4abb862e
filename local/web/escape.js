/**
 * HTML escaping, once for every page and for the TypeScript that writes HTML: the upload page, the
 * supervisor page and the report view import it in the browser (the local server serves it at /escape.js),
 * `check --html` and the tests import it in Node (types in escape.d.ts). A plain module with no imports of
 * its own, so that it runs as it is in both.
 */
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The value as text that is safe inside an element or a quoted attribute. */
export const escapeHtml = (value) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
