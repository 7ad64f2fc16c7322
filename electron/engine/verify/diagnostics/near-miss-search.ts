import { formatSize } from '../../../../shared/lib/byte-size'
import type { Finding } from '../../../../shared/model/verdict'
import { MAX_VERIFY_BODY_BYTES, startsLikeJson } from '../json-body'
import type { VerifyRequest } from '../verify-request'
import { type BodyVariant, bodyVariants } from './body-variants'

/**
 * Bytes of signed content the near-miss search of one delivery may hash (or verify, or decrypt),
 * over every key of the scheme tried on it: 64 MiB, about 50 ms of HMAC-SHA256 on one core. The
 * search runs in the capture worker, on the thread that writes the store, and its work is
 * trials × content: ten body variants, four secret readings of each of up to 200 other keys...
 * A 1 KiB delivery never comes near the budget (200 keys × 4 readings is 800 KiB); a few keys on
 * a body of megabytes would take seconds without it.
 */
export const NEAR_MISS_BUDGET_BYTES = 64 * 1024 * 1024

/**
 * The largest body whose JSON the near-miss search re-serialises (compact, pretty-printed, \u
 * escapes changed: body-variants.ts): 256 KiB. Building those variants is not hashing and the
 * budget above does not count it, but it runs on the same thread: parsing and re-writing a JSON
 * body of non-ASCII text took about 180 ms per MiB (2 shared cores: 256 KiB 28–60 ms, 1 MiB
 * 100–160 ms, 3.5 MiB 430–690 ms), ten times the other variants (trailing newline, line endings,
 * trimmed: 10–17 ms per MiB, still built up to MAX_VERIFY_BODY_BYTES). At 256 KiB it costs about
 * what the whole hashing budget does (64 MiB, ~50 ms); webhook bodies are far smaller.
 */
export const MAX_JSON_VARIANTS_BODY_BYTES = 256 * 1024

/**
 * The near-miss work left for one delivery, shared by every key tried on it (verify-delivery.ts
 * makes one per delivery; a scheme called alone gets its own).
 */
export interface NearMissBudget {
  remaining: number
  /** The body's variants, built once per delivery: for a JSON body they cost more than hashing them. */
  variants?: { body: Buffer; variants: BodyVariant[] }
}

export function createNearMissBudget(bytes: number = NEAR_MISS_BUDGET_BYTES): NearMissBudget {
  return { remaining: bytes }
}

/**
 * Signed content this small does not carry the body (a URL, headers): trials over it stay cheap
 * whatever the body's size (Twilio signs only the URL of a JSON delivery).
 */
const SMALL_CONTENT_BYTES = 64 * 1024

/** What is not tried of a JSON body over MAX_JSON_VARIANTS_BODY_BYTES. */
const JSON_BODY_CHANGES = 'body changes that rebuild its JSON (re-serialised, pretty-printed, \\u escapes changed)'

type SkipReason = 'too-large' | 'json-too-large' | 'budget'

/**
 * The near-miss search of one failed check (one key): each kind of trial asks it first, with how
 * many trials over how many bytes each. On a body over MAX_VERIFY_BODY_BYTES nothing that covers
 * the body is tried (its variants, other keys or secret readings over it); other trials run as
 * long as the delivery's budget covers them all, and take their cost from it (a kind of trial
 * runs whole or not at all, so what is found does not depend on where the budget happened to
 * end). What was not tried is said in one NEAR_MISS_SKIPPED finding, so that "no usual mistake
 * explains it" is never claimed for a search that did not run.
 */
export class NearMissSearch {
  private readonly skipped: { what: string; reason: SkipReason }[] = []

  constructor(
    private readonly body: Buffer,
    private readonly budget: NearMissBudget
  ) {}

  /**
   * Whether `trials` trials (`what`, e.g. "other keys") over `bytesEach` bytes each may run; if so
   * their cost is taken from the budget. No trials: nothing to run, nothing skipped.
   */
  allows(what: string, trials: number, bytesEach: number): boolean {
    if (trials <= 0) return false
    if (this.body.length > MAX_VERIFY_BODY_BYTES && bytesEach > SMALL_CONTENT_BYTES) return this.skip(what, 'too-large')
    return this.take(what, trials * bytesEach)
  }

  /**
   * The body's variants (body-variants.ts), for trials over contents of `bytesEach` bytes each;
   * none when the body is over MAX_VERIFY_BODY_BYTES or the budget does not cover them, and not
   * the JSON ones when it is over MAX_JSON_VARIANTS_BODY_BYTES.
   */
  bodyVariants(bytesEach: number): BodyVariant[] {
    const what = 'body changes'
    if (this.body.length > MAX_VERIFY_BODY_BYTES) {
      this.skip(what, 'too-large')
      return []
    }
    const json = this.body.length <= MAX_JSON_VARIANTS_BODY_BYTES
    // Said only of a body that could be JSON: the JSON variants of any other are none.
    if (!json && startsLikeJson(this.body)) this.skip(JSON_BODY_CHANGES, 'json-too-large')
    let cached = this.budget.variants
    if (cached?.body !== this.body) {
      cached = { body: this.body, variants: bodyVariants(this.body, { json }) }
      this.budget.variants = cached
    }
    return this.allows(what, cached.variants.length, bytesEach) ? cached.variants : []
  }

  /** The NEAR_MISS_SKIPPED finding, when something was not tried; else nothing. Goes last, after what was found. */
  findings(): Finding[] {
    if (this.skipped.length === 0) return []
    if (this.skippedFor('too-large')) {
      const whats = this.whats()
      const message = `The near-miss search was skipped for a body this large: at ${formatSize(this.body.length)} it is over the ${formatSize(MAX_VERIFY_BODY_BYTES)} Hookscope searches for usual mistakes, so ${whats} were not tried.`
      return [{ code: 'NEAR_MISS_SKIPPED', message }]
    }
    const sentences: string[] = []
    if (this.skippedFor('json-too-large')) {
      sentences.push(
        `The near-miss search did not try ${JSON_BODY_CHANGES}: at ${formatSize(this.body.length)} the body is over the ${formatSize(MAX_JSON_VARIANTS_BODY_BYTES)} up to which Hookscope rebuilds JSON, as rebuilding it would hold up the capture of other deliveries.`
      )
    }
    if (this.skippedFor('budget')) {
      sentences.push(
        `The near-miss search was cut short: ${this.whats('budget')} were not tried, as they would hash (or verify, or decrypt) more than is left of the ${formatSize(NEAR_MISS_BUDGET_BYTES)} one delivery's search may go through (a ${formatSize(this.body.length)} body, over all the keys tried on it).`
      )
    }
    return [{ code: 'NEAR_MISS_SKIPPED', message: sentences.join(' ') }]
  }

  /** For a summary that has no finding to lead with: why none was found, or null when the search ran whole. */
  skippedClause(): string | null {
    if (this.skipped.length === 0) return null
    if (this.skippedFor('too-large')) return `the body (${formatSize(this.body.length)}) is too large for the near-miss search`
    if (this.skippedFor('budget')) return 'the near-miss search was cut short, the delivery being too large for all of it'
    return `the body (${formatSize(this.body.length)}) is too large for the near-miss search to rebuild its JSON`
  }

  private skippedFor(reason: SkipReason): boolean {
    return this.skipped.some((skip) => skip.reason === reason)
  }

  /** What was skipped (for `reason` only, when given), in words. */
  private whats(reason?: SkipReason): string {
    return joinWords([...new Set(this.skipped.filter((skip) => !reason || skip.reason === reason).map((skip) => skip.what))])
  }

  private take(what: string, bytes: number): boolean {
    if (bytes > this.budget.remaining) return this.skip(what, 'budget')
    this.budget.remaining -= bytes
    return true
  }

  private skip(what: string, reason: SkipReason): false {
    this.skipped.push({ what, reason })
    return false
  }
}

/** The search of one failed check on `request`, drawing on the delivery's budget (a fresh one when the caller has none). */
export function nearMissSearch(request: VerifyRequest, context: { nearMiss?: NearMissBudget }): NearMissSearch {
  return new NearMissSearch(request.body, context.nearMiss ?? createNearMissBudget())
}

function joinWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`
}
