import { describe, expect, it } from 'vitest'
import { pollUntil } from '../helpers/cli-process'
import { engineEachTest } from '../helpers/test-engine'

const engines = engineEachTest()

describe('the endpoint response as configured in the UI', () => {
  it('answers a simulated failure and stores the status it sent', async () => {
    const hook = await engines.start()
    await hook.client.invoke('endpoints.update', {
      id: 'test',
      patch: { response: { status: 202, headers: [], body: 'ok', failure: { percent: 100, status: 503, body: null } } }
    })
    const res = await fetch(hook.url + 'retry-me', { method: 'POST', body: '{}' })
    expect(res.status).toBe(503)
    const answer = (await res.json()) as { id: string; error: string }
    expect(answer.error).toBe('simulated failure')
    const stored = await hook.client.invoke('deliveries.get', { id: answer.id })
    expect(stored.responseStatus).toBe(503)
    expect((await hook.client.invoke('deliveries.list', { status: '5xx' })).items.map((item) => item.id)).toEqual([answer.id])
  })

  it('keeps older API callers working: status, headers and body alone take no delay and no failures', async () => {
    const hook = await engines.start()
    const updated = await hook.client.invoke('endpoints.update', { id: 'test', patch: { response: { status: 201, headers: [['X-A', 'b']], body: null } } })
    expect(updated.response).toEqual({ status: 201, headers: [['X-A', 'b']], body: null, delayMs: 0, failure: null })
    const res = await fetch(hook.url, { method: 'POST', body: 'x' })
    expect(res.status).toBe(201)
    expect(res.headers.get('x-a')).toBe('b')
  })

  it('holds the answer for the delay after storing, and answers at once when the endpoint stops', async () => {
    const hook = await engines.start()
    await hook.client.invoke('endpoints.update', { id: 'test', patch: { response: { status: 200, headers: [], body: 'late', delayMs: 60_000 } } })
    let answered = false
    const pending = fetch(hook.url + 'slow', { method: 'POST', body: 'x' }).then(async (res) => {
      answered = true
      return { status: res.status, body: await res.text() }
    })
    // Stored (and listed) while the sender still waits.
    await pollUntil(async () => (await hook.client.invoke('deliveries.list', {})).items.length === 1, 'the delivery to be stored')
    expect(answered).toBe(false)
    await hook.client.invoke('endpoints.stop', { id: 'test' })
    expect(await pending).toEqual({ status: 200, body: 'late' })
  })

  it('refuses out-of-range settings', async () => {
    const hook = await engines.start()
    const bad = [
      { status: 200, headers: [], body: null, delayMs: 60_001 },
      { status: 200, headers: [], body: null, failure: { percent: 101, status: 500, body: null } },
      { status: 200, headers: [], body: null, failure: { percent: 10, status: 200, body: null } }
    ]
    for (const response of bad) {
      await expect(hook.client.invoke('endpoints.update', { id: 'test', patch: { response } })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    }
  })
})
