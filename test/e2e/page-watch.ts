import type { CDPSession, Page } from 'playwright-core'

/**
 * What a UI test needs to know about a page beyond the DOM: every page error, crash and console
 * error (problems), how long the main thread was blocked (Long Tasks API, recorded from the first
 * script on), and the JS heap after a full garbage collection (Chrome DevTools Protocol).
 */
export interface PageWatch {
  problems: string[]
  /** Starts a measurement: long tasks that started before now are not counted. */
  resetLongTasks(): Promise<void>
  /** The longest main-thread task that started since the last reset, in ms (0 when none passed 50 ms). */
  longestTask(): Promise<number>
  /** Used JS heap in bytes, measured after forcing a garbage collection. */
  heapUsed(): Promise<number>
}

interface WatchedWindow {
  /** [startTime, duration] of every long task. */
  __longTasks?: Array<[number, number]>
  __longTasksSince?: number
}

export async function watchPage(page: Page, options: { ignoreConsole?: RegExp } = {}): Promise<PageWatch> {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    if (options.ignoreConsole?.test(message.text())) return
    problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.name}: ${error.message}`))
  page.on('crash', () => problems.push('crash: the page crashed'))
  await page.addInitScript(() => {
    const w = window as WatchedWindow
    w.__longTasks = []
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks!.push([entry.startTime, entry.duration])
    }).observe({ type: 'longtask', buffered: true })
  })
  let cdp: CDPSession | null = null
  return {
    problems,
    async resetLongTasks() {
      // Entries reach the observer a little after their task ends: filter by start time instead of clearing.
      await page.evaluate(() => {
        ;(window as WatchedWindow).__longTasksSince = performance.now()
      })
    },
    async longestTask() {
      // One frame later, so a task that just ended has been reported.
      return page.evaluate(
        () =>
          new Promise<number>((resolve) =>
            requestAnimationFrame(() =>
              setTimeout(() => {
                const w = window as WatchedWindow
                const since = w.__longTasksSince ?? 0
                resolve(Math.max(0, ...(w.__longTasks ?? []).filter(([start]) => start >= since).map(([, duration]) => duration)))
              }, 0)
            )
          )
      )
    },
    async heapUsed() {
      cdp ??= await page.context().newCDPSession(page)
      await cdp.send('HeapProfiler.collectGarbage')
      const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }
      return usage.usedSize
    }
  }
}
