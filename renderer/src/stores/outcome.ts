import { describeError } from '../api/describe-error'

/** A user action's answer: the value, or the engine's sentence to show next to the form that asked. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string }

export async function attempt<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() }
  } catch (error) {
    return { ok: false, error: describeError(error) }
  }
}
