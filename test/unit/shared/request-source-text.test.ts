import { describe, expect, it } from 'vitest'
import { describeRequestSource } from '../../../shared/lib/request-source-text'

describe('describeRequestSource', () => {
  it('says nothing for a local listener', () => {
    expect(describeRequestSource({ kind: 'listener' })).toBeNull()
  })

  it('names the relay tunnel and the public URL the sender used', () => {
    const text = describeRequestSource({
      kind: 'tunnel',
      provider: 'hookscope',
      publicUrl: 'https://relay.example/c/abc/hooks?x=1',
      reserialized: false,
      deliveryId: 'd1'
    })
    expect(text).toBe('via tunnel (hookscope relay) https://relay.example/c/abc/hooks?x=1')
  })

  it('warns that smee re-serialised the body, and only when it did', () => {
    expect(describeRequestSource({ kind: 'tunnel', provider: 'smee', publicUrl: 'https://smee.io/chan', reserialized: true })).toBe(
      'via smee https://smee.io/chan — JSON re-serialised by smee, signatures over raw bytes cannot match'
    )
    expect(describeRequestSource({ kind: 'tunnel', provider: 'smee', publicUrl: 'https://smee.io/chan', reserialized: false })).toBe(
      'via smee https://smee.io/chan'
    )
  })
})
