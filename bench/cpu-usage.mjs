// CPU time, next to req/s: on a machine whose cores are all busy (the load generator shares them
// with the servers), the ratio of req/s mostly reflects CPU time per request. Linux only (/proc);
// elsewhere every reading is null and the benches print no CPU columns.
import { readFileSync } from 'node:fs'

/** Linux reports /proc times in clock ticks of 1/100 s on every architecture Node supports. */
const TICK_MS = 10

function readProc(path) {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

/** user + system CPU milliseconds used so far by a process (all its threads), or null. */
export function processCpuMs(pid) {
  const stat = readProc(`/proc/${pid}/stat`)
  if (!stat) return null
  // Fields after the command name (which may hold spaces, hence the last ')'): utime is the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS
}

/** Busy and total CPU milliseconds of the whole machine so far (all cores), or null. */
export function machineCpuMs() {
  const stat = readProc('/proc/stat')
  if (!stat) return null
  const [, ...ticks] = stat.split('\n')[0].trim().split(/\s+/).map(Number)
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const total = ticks.slice(0, 8).reduce((sum, n) => sum + n, 0)
  return { busy: (total - ticks[3] - ticks[4]) * TICK_MS, total: total * TICK_MS }
}

/**
 * Starts a measurement of these processes (pid by name) and of the machine; `stop(requests)`
 * returns CPU microseconds per request per process, and how busy the machine was (0..1).
 */
export function cpuMeter(pids) {
  const start = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)]))
  const machineStart = machineCpuMs()
  return {
    stop(requests) {
      const perRequestUs = {}
      for (const [name, pid] of Object.entries(pids)) {
        const now = processCpuMs(pid)
        perRequestUs[name] = now === null || start[name] === null || requests === 0 ? null : ((now - start[name]) * 1000) / requests
      }
      const machineNow = machineCpuMs()
      const machineBusy =
        machineNow && machineStart && machineNow.total > machineStart.total
          ? (machineNow.busy - machineStart.busy) / (machineNow.total - machineStart.total)
          : null
      return { perRequestUs, machineBusy }
    }
  }
}
