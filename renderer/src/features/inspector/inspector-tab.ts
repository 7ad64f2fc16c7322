/** What the inspector shows below its toolbar: the request as received, or its signature verdict. */
export type InspectorTab = 'request' | 'signature'
