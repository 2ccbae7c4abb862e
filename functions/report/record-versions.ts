/**
 * The record's version numbers and size bounds, apart from its zod schema (record.ts re-exports them): code
 * that only builds records (the CLI's check, the parse step) does not pay for loading zod and building
 * the schema, a third of the CLI's own start-up (docs/performance.md).
 */

/** Keys are those of docs/template.md and are never renamed; a breaking change bumps SCHEMA_VERSION. */
export const SCHEMA_VERSION = 1;
/** Bumped whenever parsing or validation changes what a report yields. */
export const PARSER_VERSION = '1.2.0';
/** Bounds each stored comparable text: 2 sections × 3000 characters ≈ 18 KB, far below DynamoDB's 400 KB item. */
export const COMPARABLE_TEXT_MAX = 3000;
