import type { Logger } from './engine-types'

type Level = 'debug' | 'info' | 'warn' | 'error'
const rank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface ConsoleLoggerOptions {
  level?: Level
  /** Where lines go; stderr by default so a CLI's stdout stays machine-readable. */
  write?: (line: string) => void
}

/** One line per entry: `LEVEL message key=value ...`. Callers never pass secrets or payloads. */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const threshold = rank[options.level ?? 'info']
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'))
  const log = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (rank[level] < threshold) return
    const extra = fields
      ? Object.entries(fields)
          .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
          .join(' ')
      : ''
    write(`${level.toUpperCase()} ${message}${extra ? ' ' + extra : ''}`)
  }
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
