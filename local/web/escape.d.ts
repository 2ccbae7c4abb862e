/** Types of escape.js for TypeScript callers; see the module's comment. */
export function escapeHtml(value: unknown): string;
