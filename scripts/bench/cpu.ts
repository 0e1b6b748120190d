import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function stat(pid: number): { ppid: number; ticks: number } | null {
  try {
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system, ms) used so far by a process and its descendants (the cluster's workers), from /proc.
 * On a box whose run queue is longer than its cores, wall-clock rates measure the queue; CPU per operation does
 * not, so the bench reports both. Null where /proc is missing.
 */
export function cpuMs(root: number): number | null {
  if (stat(root) === null) return null;
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (!s) continue;
    ticks.set(pid, s.ticks);
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    total += ticks.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return (total * 1000) / TICKS_PER_SECOND;
}

/** Runs `work` and adds the CPU ms per operation the server spent on it (`count` = operations done). */
export async function withCpu<T>(pid: number | undefined, work: () => Promise<T>, count: (result: T) => number) {
  const before = pid ? cpuMs(pid) : null;
  const result = await work();
  const after = pid ? cpuMs(pid) : null;
  const n = count(result);
  return { ...result, cpuMsPerOp: before !== null && after !== null && n > 0 ? (after - before) / n : undefined };
}
