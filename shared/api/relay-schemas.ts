import { z } from 'zod'
import { headerNameSchema, idSchema, rawHeaderSchema } from './schema-parts'

/**
 * Params of the relay methods (forwarding rules, attempts, replay, sender); part of `methodSchemas`
 * in contract.ts. Each method is documented where it is declared below.
 */

const DAY_MS = 24 * 60 * 60 * 1000
/** The HTTP API takes at most 2 MiB of JSON per call; base64 bodies stay well under it. */
const MAX_BODY_BASE64 = 1_500_000

const httpUrl = z
  .string()
  .max(2048)
  .regex(/^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i, 'an http:// or https:// URL')
const method = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'an HTTP method')
const base64 = z
  .string()
  .max(MAX_BODY_BASE64)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64')

export const retryPolicySchema = z.strictObject({
  baseMs: z.int().min(0).max(DAY_MS),
  factor: z.number().min(1).max(10),
  maxDelayMs: z.int().min(0).max(DAY_MS),
  maxRetries: z.int().min(0).max(50),
  on: z.array(z.enum(['network', 'timeout', '5xx', '429', '4xx'])).max(5)
})

/** A rule as the UI or the CLI sends it: everything but `target` has a default (see ForwardingRule). */
export const forwardingRuleInputSchema = z.strictObject({
  /** Keep an existing rule's id; new rules get one. */
  id: idSchema.optional(),
  name: z.string().trim().max(80).optional(),
  enabled: z.boolean().optional(),
  match: z
    .strictObject({
      pathPrefix: z.string().startsWith('/').max(1024).nullable().optional(),
      method: method.nullable().optional(),
      header: z
        .strictObject({ name: headerNameSchema, value: z.string().max(8192) })
        .nullable()
        .optional(),
      jsonField: z
        .strictObject({
          path: z
            .string()
            .min(1)
            .max(256)
            .regex(/^[^.\s]+(?:\.[^.\s]+)*$/, 'a dotted path such as type or data.object.status'),
          value: z.string().max(1024)
        })
        .nullable()
        .optional()
    })
    .optional(),
  target: httpUrl,
  pathRewrite: z
    .strictObject({
      prefix: z.string().startsWith('/').max(1024),
      replacement: z
        .string()
        .max(1024)
        .regex(/^(?:\/\S*)?$/, "replacement: empty, or a path starting with '/'")
    })
    .nullable()
    .optional(),
  headers: z.strictObject({ remove: z.array(headerNameSchema).max(100).optional(), add: z.array(rawHeaderSchema).max(100).optional() }).optional(),
  preserveHost: z.boolean().optional(),
  /** 0 = wait forever (breakpoint debugging). Default 30 s. */
  timeoutMs: z.int().min(0).max(DAY_MS).optional(),
  /** Default passthrough. */
  mode: z.enum(['passthrough', 'ack-first']).optional(),
  /** A preset name or a whole policy. Default `fast`. */
  retry: z.union([z.enum(['provider', 'fast', 'none']), retryPolicySchema]).optional(),
  clientCertificateId: idSchema.nullable().optional()
})

export const fallbackResponseSchema = z.strictObject({
  status: z.int().min(200).max(599),
  headers: z.array(rawHeaderSchema).max(100),
  body: z
    .string()
    .max(1024 * 1024)
    .nullable()
})

const editSchema = z.strictObject({
  /** Replaces the delivery's headers entirely (order and case as given). */
  headers: z.array(rawHeaderSchema).max(200).optional(),
  /** Replaces the body. */
  bodyBase64: base64.optional()
})

const page = {
  cursor: z.string().max(64).optional(),
  limit: z.int().min(1).max(1000).optional()
}

export const forwardingMethodSchemas = {
  /** An endpoint's forwarding rules and fallback (an endpoint without rules has an empty list). */
  'forwarding.get': z.strictObject({ endpointId: idSchema }),
  /**
   * Replaces an endpoint's rules (first match wins) and optionally its fallback. Rules keep their
   * `id` when given one. Returns the stored config with `warnings` (e.g. a target off this machine).
   */
  'forwarding.set': z.strictObject({
    endpointId: idSchema,
    rules: z.array(forwardingRuleInputSchema).max(50),
    fallback: fallbackResponseSchema.optional()
  }),
  /**
   * Attempts, newest first: of one delivery (relay attempts and replays, oldest retry last), of a
   * batch, or of one kind (`send` lists the test sender's). Filters combine.
   */
  'attempts.list': z.strictObject({
    deliveryId: idSchema.optional(),
    batchId: idSchema.optional(),
    kind: z.enum(['relay', 'replay', 'send']).optional(),
    ...page
  }),
  /** One attempt with the request as sent and the response (headers, body capped at 1 MiB). */
  'attempts.get': z.strictObject({ id: idSchema }),
  /**
   * Relay now: a scheduled retry of this delivery runs at once; a finished chain (given up, or
   * cancelled) starts again with a new attempt to its rule's current target.
   */
  'attempts.retryNow': z.strictObject({ deliveryId: idSchema }),
  /** Cancels the delivery's scheduled retry (an attempt on the wire finishes; nothing follows it). */
  'attempts.cancel': z.strictObject({ deliveryId: idSchema }),
  /**
   * Replays one delivery and resolves when the target has answered (or not): to `to`, else to
   * the target of the first rule of its endpoint that matches it. As-is by default; `edit`
   * replaces headers and/or body; `resignKeyId` re-signs (after editing) with that keyring key.
   */
  'replay.send': z.strictObject({
    deliveryId: idSchema,
    to: httpUrl.optional(),
    edit: editSchema.optional(),
    resignKeyId: idSchema.optional(),
    /** Default: the rule's timeout, else 30 s; 0 waits forever. */
    timeoutMs: z.int().min(0).max(DAY_MS).optional()
  }),
  /**
   * Starts a bulk replay of `deliveryIds`, or of every delivery matching `filter` (the
   * `deliveries.list` filter, at most 10,000 deliveries), and returns the batch at once.
   * Progress comes as `batch.progress` and `attempt.*` events; at most `concurrency` replays
   * on the wire at a time, and at most `ratePerSecond` started per second when given.
   */
  'replay.start': z
    .strictObject({
      deliveryIds: z.array(idSchema).min(1).max(10_000).optional(),
      filter: z.record(z.string(), z.unknown()).optional(),
      to: httpUrl.optional(),
      resignKeyId: idSchema.optional(),
      concurrency: z.int().min(1).max(32).optional(),
      ratePerSecond: z.number().positive().max(1000).optional()
    })
    .refine((params) => (params.deliveryIds === undefined) !== (params.filter === undefined), {
      message: 'give either deliveryIds or filter'
    }),
  /** A batch's progress. */
  'replay.batch': z.strictObject({ batchId: idSchema }),
  /** Stops a batch: nothing new starts; replays on the wire finish. */
  'replay.cancel': z.strictObject({ batchId: idSchema }),
  /** Event templates the sender can fill in, of one scheme or all (provider events, and a test event per scheme). */
  'sender.templates': z.strictObject({ scheme: z.string().max(40).optional() }),
  /**
   * Sends a signed test event without a provider: `bodyBase64`, or the template `event` (a
   * template id, or an event name of the key's scheme; default: the scheme's test event), signed
   * with keyring key `keyId` (whose scheme must be `scheme` when given), `count` times,
   * `intervalMs` apart, each with a fresh id and timestamp. `headers` are added to the template's.
   * Resolves when all are sent; each send is an attempt (`attempt.*` events live).
   */
  'sender.send': z.strictObject({
    url: httpUrl,
    keyId: idSchema,
    scheme: z.string().max(40).optional(),
    event: z.string().min(1).max(120).optional(),
    bodyBase64: base64.optional(),
    headers: z.array(rawHeaderSchema).max(100).optional(),
    method: method.optional(),
    count: z.int().min(1).max(1000).optional(),
    intervalMs: z
      .int()
      .min(0)
      .max(60 * 60 * 1000)
      .optional(),
    timeoutMs: z.int().min(0).max(DAY_MS).optional()
  })
} as const
