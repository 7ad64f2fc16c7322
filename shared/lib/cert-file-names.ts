/**
 * The names Hookscope gives the certificate files it exports (Certificates page, `hookscope cert
 * client`, `hookscope ca export`), so commands it prints (the empty state's sample, "Copy as cURL")
 * point at the files the user actually has.
 */

export const CA_PEM_FILE = 'hookscope-ca.pem'

/** A client certificate named `name`: its PEM certificate (with chain), key and PKCS#12 files. */
export function clientCertFiles(name: string): { certFile: string; keyFile: string; p12File: string } {
  const base = name.replace(/[^A-Za-z0-9._-]+/g, '-')
  return { certFile: `${base}.crt.pem`, keyFile: `${base}.key.pem`, p12File: `${base}.p12` }
}

/** What commands name when the client certificate is not known: a user saving one as "client" gets these. */
export const SAMPLE_CLIENT_FILES = clientCertFiles('client')
