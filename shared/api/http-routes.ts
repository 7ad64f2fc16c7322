/**
 * The headless transport's wire shape, shared by server (electron/engine/http) and client
 * (renderer/src/api/http-transport.ts):
 * - POST {API_INVOKE_PREFIX}<method>, `Authorization: Bearer <token>`, JSON params body
 *   → 200 `{ok:true,value}` or 4xx/5xx `{ok:false,error:{code,message}}`.
 * - WebSocket {API_EVENTS_PATH}?token=<token> → one JSON EngineEvent per message.
 *   (Browsers cannot set headers on a WebSocket, hence the query parameter.)
 * - The UI is opened at `http://127.0.0.1:<port>/#token=<token>&run=<runId>`; the hash never reaches
 *   the server. A 401 carries the server's run id, so a tab from an earlier run can say so.
 */
export const API_INVOKE_PREFIX = '/api/invoke/'
/**
 * POST {API_EXPORT_PATH}, Bearer token, JSON `{format: 'ndjson'|'har', query: DeliveryQuery}` →
 * the export as a streamed body, one delivery per line, with the number of deliveries it will
 * hold in {EXPORT_COUNT_HEADER} so the page can show progress.
 */
export const API_EXPORT_PATH = '/api/export'
export const EXPORT_COUNT_HEADER = 'X-Hookscope-Export-Count'
/** On every API answer, 401 included: the engine run that answered (app.info runId). */
export const RUN_ID_HEADER = 'X-Hookscope-Run'
/** In the UI address next to the token: the run that printed it. */
export const RUN_HASH_PARAM = 'run'
export const API_EVENTS_PATH = '/api/events'
export const TOKEN_HASH_PARAM = 'token'
