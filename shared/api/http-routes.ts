/**
 * The headless transport's wire shape, shared by server (electron/engine/http) and client
 * (renderer/src/api/http-transport.ts):
 * - POST {API_INVOKE_PREFIX}<method>, `Authorization: Bearer <token>`, JSON params body
 *   → 200 `{ok:true,value}` or 4xx/5xx `{ok:false,error:{code,message}}`.
 * - WebSocket {API_EVENTS_PATH}?token=<token> → one JSON EngineEvent per message.
 *   (Browsers cannot set headers on a WebSocket, hence the query parameter.)
 * - The UI is opened at `http://127.0.0.1:<port>/#token=<token>`; the hash never reaches the server.
 */
export const API_INVOKE_PREFIX = '/api/invoke/'
export const API_EVENTS_PATH = '/api/events'
export const TOKEN_HASH_PARAM = 'token'
