import { z } from 'zod'

/**
 * A delivery described in a file, for `hookscope verify --delivery FILE`:
 * `{"method": "POST", "url": "https://host/path?query", "headers": {...} or [[name, value], ...], "body": "text"}`,
 * or `"bodyBase64"` instead of `body` for bytes that are not text. Header values are text (sent as
 * UTF-8), except those listed by index in `latin1Headers`: one character per byte, as in NDJSON exports.
 */
export const deliveryFileSchema = z
  .strictObject({
    method: z
      .string()
      .regex(/^[A-Za-z]{1,16}$/, 'method: an HTTP method such as POST')
      .default('POST'),
    url: z.string().regex(/^https?:\/\/[^\s/]+/, 'url: an absolute http(s) URL such as https://host/path?query'),
    headers: z.union([z.record(z.string().min(1), z.string()), z.array(z.tuple([z.string().min(1), z.string()]))]),
    latin1Headers: z.array(z.int().min(0)).optional(),
    body: z.string().optional(),
    bodyBase64: z
      .string()
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'bodyBase64: standard base64')
      .optional()
  })
  .refine((file) => file.body === undefined || file.bodyBase64 === undefined, 'give either body or bodyBase64, not both')

export type DeliveryFile = z.infer<typeof deliveryFileSchema>
