import { describe, expect, it } from 'vitest'
import { renderResponse } from '../../../../electron/engine/capture/render-response'
import { DEFAULT_RESPONSE, DEFAULT_TLS, type EndpointConfig, type EndpointResponse } from '../../../../shared/model/endpoint'

function endpoint(response: Partial<EndpointResponse>): EndpointConfig {
  return {
    id: 'ep',
    name: 'Ep',
    host: '127.0.0.1',
    port: 0,
    enabled: true,
    maxBodyBytes: 100,
    response: { ...DEFAULT_RESPONSE, ...response },
    tls: DEFAULT_TLS
  }
}

const record = { id: 'd1', truncated: false }
/** A random source that replays these values. */
const sequence = (...values: number[]) => {
  let i = 0
  return () => values[i++ % values.length]!
}

describe('renderResponse', () => {
  it('answers the default {"id"} with no delay', () => {
    expect(renderResponse(endpoint({}), record)).toEqual({
      status: 200,
      headers: [['Content-Type', 'application/json']],
      body: Buffer.from('{"id":"d1"}'),
      delayMs: 0
    })
  })

  it('carries the configured delay', () => {
    expect(renderResponse(endpoint({ delayMs: 1500 }), record).delayMs).toBe(1500)
  })

  it('fails the configured share of deliveries, decided by the injected random source', () => {
    const failing = endpoint({ status: 202, body: 'ok', failure: { percent: 30, status: 500, body: null } })
    // 30%: draws below 0.3 fail, the others get the configured answer.
    const random = sequence(0.1, 0.29, 0.3, 0.9)
    const statuses = [1, 2, 3, 4].map(() => renderResponse(failing, record, random).status)
    expect(statuses).toEqual([500, 500, 202, 202])
    expect(renderResponse(failing, record, () => 0)).toEqual({
      status: 500,
      headers: [['Content-Type', 'application/json']],
      body: Buffer.from('{"id":"d1","error":"simulated failure"}'),
      delayMs: 0
    })
  })

  it('never fails at 0% and always at 100%, whatever the draw', () => {
    for (const draw of [0, 0.5, 0.999999]) {
      expect(renderResponse(endpoint({ failure: { percent: 0, status: 503, body: null } }), record, () => draw).status).toBe(200)
      expect(renderResponse(endpoint({ failure: { percent: 100, status: 503, body: 'down' } }), record, () => draw)).toMatchObject({
        status: 503,
        body: Buffer.from('down'),
        headers: []
      })
    }
  })

  it('answers a truncated delivery 413 at once, never a simulated failure', () => {
    const slowAndFailing = endpoint({ delayMs: 5000, failure: { percent: 100, status: 500, body: null } })
    expect(renderResponse(slowAndFailing, { id: 'd2', truncated: true }, () => 0)).toMatchObject({ status: 413, delayMs: 0 })
  })

  it('keeps framing headers ours', () => {
    const rendered = renderResponse(
      endpoint({
        headers: [
          ['Content-Length', '1'],
          ['X-Ok', 'yes']
        ],
        body: 'hi'
      }),
      record
    )
    expect(rendered.headers).toEqual([['X-Ok', 'yes']])
  })
})
