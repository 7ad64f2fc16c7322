import type { RawHeader } from '../model/delivery'
import { quoteAnsiC, quoteShellArg } from './shell-quote'
import { decodeUtf8, encodeUtf8, isValidUtf8 } from './utf8'

/**
 * "Copy as cURL" that reproduces a captured request byte for byte: same method, request target,
 * header lines (order, case, duplicates, empty values) and body bytes. Verified against the real
 * curl in test/unit/shared/curl-command.test.ts. How curl is steered:
 *
 * - Every captured header is passed with -H in order. curl then drops its own User-Agent, Accept,
 *   Content-Type and Content-Length, and emits Host at its usual place (first) with our value.
 *   Defaults the original lacked are removed with `-H 'Name:'`; an empty value is `-H 'Name;'`.
 * - Content-Length is rewritten to the length of the bytes we have (they differ when truncated);
 *   `Transfer-Encoding: chunked` is kept and curl chunks the body itself; other encodings are dropped.
 *   `Expect:` is suppressed unless the original had one, so curl never adds 100-continue.
 * - Body, small UTF-8 text without control characters: `--data-binary '<single-quoted>'`.
 *   Anything else (CR, NUL, invalid UTF-8, larger than one argv string may be, or starting with '@',
 *   which curl would read as a file name): `printf '…' | curl … --data-binary @-`. printf is a shell
 *   builtin (no argv size limit) and its format uses only `\ooo` octal escapes, which bash, zsh and
 *   dash all understand, and the whole command is plain ASCII, so it survives any clipboard.
 * - Header values are taken as Node gives them (one char per byte, latin1). Bytes that are UTF-8
 *   text are shown as text; other bytes use bash/zsh `$'\xHH'`. Lines with CR, LF or NUL cannot be
 *   sent by curl and are left out.
 * - `--globoff` when the URL has []{} (curl would expand them), `--path-as-is` when it has dot
 *   segments (curl would squash them). HEAD uses --head: `-X HEAD` makes curl wait for a body.
 * - `bodyFile`: the body is read from that file (`--data-binary @FILE`), for bodies too big to
 *   paste; `tls`: `--cacert` (and `--cert`/`--key` for mTLS) with the files Hookscope exports.
 */

export interface CurlRequest {
  method: string
  /** Absolute URL to send to. */
  url: string
  headers: readonly RawHeader[]
  body: Uint8Array
  /** Send the body from this file instead of from the command line. */
  bodyFile?: string
  /** For an https URL: the CA certificate file to trust; for mTLS, the client certificate and key files. */
  tls?: { caFile: string; client?: { certFile: string; keyFile: string } }
}

/** Linux caps a single argv string at 128 KiB (MAX_ARG_STRLEN); stay well below. */
export const MAX_INLINE_BODY_BYTES = 64 * 1024

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const CURL_DEFAULT_HEADERS = ['User-Agent', 'Accept']

export function buildCurlCommand(request: CurlRequest): string {
  const { body } = request
  const args: string[] = []
  const isHead = request.method === 'HEAD'
  args.push(isHead ? '--head' : `-X ${quoteShellArg(request.method)}`)
  if (/[[\]{}]/.test(request.url)) args.push('--globoff')
  if (hasDotSegment(request.url)) args.push('--path-as-is')
  args.push(quoteLatin1Word(request.url))
  if (request.tls) {
    args.push(`--cacert ${quoteShellArg(request.tls.caFile)}`)
    if (request.tls.client) args.push(`--cert ${quoteShellArg(request.tls.client.certFile)} --key ${quoteShellArg(request.tls.client.keyFile)}`)
  }

  const present = new Set(request.headers.map(([name]) => name.toLowerCase()))
  const chunked = request.headers.some(([name, value]) => name.toLowerCase() === 'transfer-encoding' && value.trim().toLowerCase() === 'chunked')
  for (const [name, rawValue] of request.headers) {
    if (!TOKEN.test(name) || /[\r\n\0]/.test(rawValue)) continue
    const lower = name.toLowerCase()
    let value = rawValue
    if (lower === 'content-length') {
      if (chunked) continue
      value = String(body.length)
    }
    if (lower === 'transfer-encoding' && !chunked) continue
    args.push(`-H ${headerWord(name, value)}`)
  }
  for (const name of CURL_DEFAULT_HEADERS) {
    if (!present.has(name.toLowerCase())) args.push(`-H ${quoteShellArg(`${name}:`)}`)
  }
  if (body.length > 0 && !present.has('content-type')) args.push(`-H ${quoteShellArg('Content-Type:')}`)
  if (body.length > 0 && !present.has('expect')) args.push(`-H ${quoteShellArg('Expect:')}`)

  let prefix = ''
  if (body.length > 0 && request.bodyFile !== undefined) {
    args.push(`--data-binary @${quoteShellArg(request.bodyFile)}`)
  } else if (body.length > 0) {
    const text = isPlainText(body) ? decodeUtf8(body) : null
    if (text !== null && body.length <= MAX_INLINE_BODY_BYTES && !text.startsWith('@')) {
      args.push(`--data-binary ${quoteShellArg(text)}`)
    } else {
      prefix = text !== null ? `printf '%s' ${quoteShellArg(text)} | ` : `printf ${printfFormat(body)} | `
      args.push('--data-binary @-')
    }
  }
  return `${prefix}curl ${args.join(' \\\n  ')}`
}

/** UTF-8 with no control characters other than tab and LF: safe to paste inside single quotes. */
function isPlainText(bytes: Uint8Array): boolean {
  for (const b of bytes) if ((b < 0x20 && b !== 0x09 && b !== 0x0a) || b === 0x7f) return false
  return isValidUtf8(bytes)
}

function headerWord(name: string, value: string): string {
  return value === '' ? quoteShellArg(`${name};`) : quoteLatin1Word(`${name}: ${value}`)
}

/** A word whose chars stand for bytes (latin1), quoted so the shell passes exactly those bytes. */
function quoteLatin1Word(word: string): string {
  const bytes = latin1Bytes(word)
  if (isValidUtf8(bytes) && !/[\x00-\x08\x0a-\x1f\x7f]/.test(word)) return quoteShellArg(decodeUtf8(bytes))
  return quoteAnsiC(bytes)
}

function latin1Bytes(text: string): Uint8Array {
  // Chars above U+00FF cannot come from Node's parser; if present, send them as UTF-8.
  if (/[^\x00-\xff]/.test(text)) return encodeUtf8(text)
  return Uint8Array.from(text, (c) => c.charCodeAt(0))
}

function hasDotSegment(url: string): boolean {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/)[0] ?? ''
  return path.split('/').some((segment) => segment === '.' || segment === '..')
}

/** printf format (single-quoted) that writes exactly `bytes`: only %% and \\ and \ooo are special. */
function printfFormat(bytes: Uint8Array): string {
  const parts: string[] = []
  for (const b of bytes) {
    if (b === 0x25) parts.push('%%')
    else if (b === 0x5c) parts.push('\\\\')
    else if (b >= 0x20 && b <= 0x7e && b !== 0x27) parts.push(String.fromCharCode(b))
    else parts.push(`\\${b.toString(8).padStart(3, '0')}`)
  }
  return `'${parts.join('')}'`
}
