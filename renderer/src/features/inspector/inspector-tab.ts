/** What the inspector shows below its toolbar: the request as received, its signature verdict, its TLS connection, or its relay attempts and replays. */
export type InspectorTab = 'request' | 'signature' | 'tls' | 'relay'
