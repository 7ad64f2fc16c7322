import { z } from 'zod'

/** Schema pieces several method groups share (contract.ts, relay-schemas.ts). */

export const idSchema = z.string().min(1).max(64)

const httpToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** Visible ASCII, spaces, tabs and obs-text: no CR, LF or NUL that could split a response. */
const headerValue = /^[\t\x20-\x7e\x80-\xff]*$/

export const headerNameSchema = z.string().min(1).max(256).regex(httpToken, 'header name must be an HTTP token')

export const rawHeaderSchema = z.tuple([headerNameSchema, z.string().max(8192).regex(headerValue, 'header value must not contain control characters')])
