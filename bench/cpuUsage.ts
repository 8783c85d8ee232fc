// CPU time from /proc (Linux; elsewhere nothing is reported): what a server spends per request,
// which moves far less than requests per second when something else runs on the machine, and how
// much of the machine other processes took during a measurement, to say when that happened.
import { readFileSync } from 'node:fs';

export interface CpuUse {
  /** CPU seconds (user and system) the watched process spent. */
  readonly processSeconds: number;
  /** Share of the machine's CPU capacity (all cores) used by processes other than this one and the watched one. */
  readonly othersShare: number;
}

interface Snapshot {
  readonly machineBusy: number;
  readonly machineTotal: number;
  readonly watched: number;
  readonly self: number;
}

/** Starts watching process `pid`; `stop` answers its use since, or undefined where /proc is not there. */
export function watchCpu(pid: number): { stop(): CpuUse | undefined } {
  const start = snapshot(pid);
  return {
    stop() {
      const end = snapshot(pid);
      if (!start || !end) return undefined;
      const watched = end.watched - start.watched;
      const others = end.machineBusy - start.machineBusy - watched - (end.self - start.self);
      return {
        processSeconds: watched / TICKS_PER_SECOND,
        othersShare: Math.max(0, others) / (end.machineTotal - start.machineTotal),
      };
    },
  };
}

// USER_HZ: 100 on every Linux architecture node runs on.
const TICKS_PER_SECOND = 100;

function snapshot(pid: number): Snapshot | undefined {
  try {
    // cpu  user nice system idle iowait irq softirq steal ...
    const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
      .split('\n', 1)[0]!
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number) as [number, number, number, number, number, number, number, number];
    const machineBusy = user + nice + system + irq + softirq + steal;
    return {
      machineBusy,
      machineTotal: machineBusy + idle + iowait,
      watched: processTicks(pid),
      self: processTicks(process.pid),
    };
  } catch {
    return undefined;
  }
}

/** utime + stime of a process, in ticks (fields 14 and 15 of /proc/<pid>/stat). */
function processTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields from its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
