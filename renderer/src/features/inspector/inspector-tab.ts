/** What the inspector shows below its toolbar: the request as received, its signature verdict, or its TLS connection. */
export type InspectorTab = 'request' | 'signature' | 'tls'
