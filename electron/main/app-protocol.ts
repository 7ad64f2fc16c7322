import { protocol, type Session } from 'electron'
import { createRendererHandler } from './renderer-response'
import { APP_SCHEME } from './trusted-origin'

/**
 * Must run before `ready`. `standard` gives the renderer a real origin (relative URLs, storage),
 * `secure` makes it a secure context, `supportFetchAPI` lets the page fetch its own assets.
 * `corsEnabled` is deliberately absent: it would let other origins read app:// responses.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }])
}

/** Serves the renderer build at app://hookscope/ in `session` (checklist 18: no file://). */
export function serveRendererBuild(session: Session, rendererDir: string, csp: string): void {
  session.protocol.handle(APP_SCHEME, createRendererHandler(rendererDir, csp))
}
