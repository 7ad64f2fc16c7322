/**
 * What each body view may spend on one body (README, "Body views"). Past a budget a view stops
 * and says "Shown up to …"; the Hex view and Download body always cover every stored byte.
 */

/** Bodies up to this size are formatted on the page, synchronously: no worker round trip, no flash. */
export const INLINE_FORMAT_BYTES = 256 * 1024

/** Time any one formatter may run in the worker before it stops with what it has. */
export const FORMAT_MILLIS = 8_000

export const RAW_BUDGET = { maxInputBytes: 32 * 1024 * 1024, maxRows: 4_000_000, maxMillis: FORMAT_MILLIS }
export const XML_BUDGET = { maxInputBytes: 16 * 1024 * 1024, maxRows: 2_000_000, maxDepth: 200, maxMillis: FORMAT_MILLIS }
export const JSON_BUDGET = { maxInputBytes: 16 * 1024 * 1024, maxNodes: 2_000_000, maxDepth: 1_000, maxMillis: FORMAT_MILLIS }
export const FORM_BUDGET = { maxInputBytes: 16 * 1024 * 1024, maxFields: 200_000, maxMillis: FORMAT_MILLIS }
export const MULTIPART_BUDGET = { maxInputBytes: 64 * 1024 * 1024, maxParts: 1_000, maxHeaders: 100, maxMillis: FORMAT_MILLIS }

/** Characters of one JSON string, form value or part preview drawn before "… N more characters". */
export const MAX_DRAWN_VALUE_CHARS = 10_000
/** Characters per drawn row of the text views: longer lines go on as more rows. */
export const MAX_ROW_CHARS = 4_000
/**
 * Rows that wrap and are measured as drawn; a view with more draws one line per row, fixed
 * height (measuring 400,000 rows costs more than drawing them). Select a JSON row to read it all.
 */
export const MAX_WRAPPED_ROWS = 2_000
/** Largest image decoded for a preview, in pixels (a 1 KiB PNG can claim 100,000 × 100,000). */
export const MAX_PREVIEW_PIXELS = 40_000_000
