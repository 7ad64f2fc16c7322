import { type ParseArgsConfig, parseArgs } from 'node:util'
import { UsageError } from './usage-error'

type Options = NonNullable<ParseArgsConfig['options']>

/** node:util parseArgs in strict mode, with its errors turned into UsageError (exit 2). */
export function parseFlags<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values
  } catch (error) {
    // node's messages span lines ("... is ambiguous.\nDid you forget ...?"): keep all of it, on one line.
    throw new UsageError((error as Error).message.split('\n').join(' ').trim())
  }
}

/** Like parseFlags, for commands that also take positional arguments (`replay ID...`). */
export function parseFlagsAndPositionals<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true })
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n').join(' ').trim())
  }
}

export function portFlag(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) {
    throw new UsageError(`--${name} must be a port number from 0 to 65535, not "${value}"`)
  }
  return Number(value)
}

export function hostFlag(value: string | undefined, name: string, fallback: string): string {
  if (value === undefined) return fallback
  if (!/^[A-Za-z0-9.:_-]{1,253}$/.test(value)) throw new UsageError(`--${name} must be a host name or IP address, not "${value}"`)
  return value
}
