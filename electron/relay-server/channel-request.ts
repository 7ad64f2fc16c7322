/**
 * Splits a public request target `/c/<channel>/<rest>?<query>` into the channel id and the target
 * the client sees (`/<rest>?<query>`, exactly as sent; `/` when there is no rest). Null for
 * anything else.
 */
export function parseChannelRequest(target: string): { channelId: string; rest: string } | null {
  if (!target.startsWith('/c/')) return null
  const after = target.slice(3)
  const end = after.search(/[/?#]/)
  const channelId = end < 0 ? after : after.slice(0, end)
  if (channelId.length === 0) return null
  const rest = end < 0 ? '' : after.slice(end)
  return { channelId, rest: rest.startsWith('/') ? rest : `/${rest}` }
}
