import { EngineError } from '../../../shared/errors'

/** Turns bind failures into sentences a user can act on. */
export function listenError(error: NodeJS.ErrnoException, host: string, port: number): EngineError {
  switch (error.code) {
    case 'EADDRINUSE':
      return new EngineError('LISTEN_FAILED', `port ${port} on ${host} is already in use; choose another port`)
    case 'EACCES':
      return new EngineError('LISTEN_FAILED', `not allowed to listen on port ${port} (ports below 1024 need privileges)`)
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new EngineError('LISTEN_FAILED', `${host} is not an address of this machine`)
    default:
      return new EngineError('LISTEN_FAILED', `cannot listen on ${host}:${port}: ${error.message}`)
  }
}
