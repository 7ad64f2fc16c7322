/**
 * Arguments of `openssl req` for a new P-256 key made by OpenSSL (so a test does not depend on what
 * Hookscope's own CA issues): a self-signed certificate, or with `csr` a signing request.
 */
export function p256RequestArgs(options: { keyOut: string; out: string; subject: string; csr?: boolean; days?: number; extensions?: string[] }): string[] {
  const { keyOut, out, subject, csr = false, days = 30, extensions = [] } = options
  return [
    'req',
    csr ? '-new' : '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    keyOut,
    '-out',
    out,
    '-subj',
    subject,
    ...(csr ? [] : ['-days', String(days)]),
    ...extensions.flatMap((extension) => ['-addext', extension])
  ]
}
