// Reads a V8 .cpuprofile (written by `node --cpu-prof`) and says where the time went: self time
// per package (or our own lib/app) and per function. The benches print this beside their figures;
// `node dist/bench/cpu-profile.js FILE.cpuprofile [TOP]` prints it for any profile.
import { readFileSync } from 'node:fs';

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface TimeShare {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  byOwner: TimeShare[];
  byFunction: TimeShare[];
}

/** Who owns a piece of code: an npm package, one of our libs or apps, Node itself, or V8 (gc, idle, program). */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'anonymous'})`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node';
  const ours = /\/(apps|libs)\/([^/]+)\//.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  return url.replace(/^file:\/\//, '');
}

export function summarizeProfile(profile: CpuProfile, top = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const id = profile.samples[i];
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalMicros = 0;
  let idleMicros = 0;
  for (const [id, micros] of selfMicros) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    totalMicros += micros;
    if (functionName === '(idle)') {
      idleMicros += micros;
      continue;
    }
    const owner = ownerOf(url, functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + micros);
    const fn = `${functionName || '(anonymous)'} ${owner}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + micros);
  }
  const busyMicros = totalMicros - idleMicros;
  const rank = (entries: Map<string, number>): TimeShare[] =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, ms: Math.round(micros / 1000), share: busyMicros ? micros / busyMicros : 0 }));
  return { totalMs: totalMicros / 1000, idleMs: idleMicros / 1000, byOwner: rank(owners), byFunction: rank(functions) };
}

/**
 * CPU time by stage of the samples taken between two moments (µs of the clock the profile's
 * timestamps use), each sample's stage told from its stack (innermost frame first); idle left out.
 */
export function timeByStage(profile: CpuProfile, stageOf: (stack: CallFrame[]) => string, window: { fromMicros: number; toMicros: number }): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const stackOf = (id: number) => {
    const stack: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) stack.push(byId.get(at)!.callFrame);
    return stack;
  };
  const stageByNode = new Map<number, string>();
  const micros = new Map<string, number>();
  let sampledAt = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    sampledAt += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const lasted = profile.timeDeltas[i + 1] ?? 0;
    const id = profile.samples[i]!;
    if (sampledAt < window.fromMicros || sampledAt > window.toMicros || byId.get(id)!.callFrame.functionName === '(idle)') continue;
    let stage = stageByNode.get(id);
    if (stage === undefined) stageByNode.set(id, (stage = stageOf(stackOf(id))));
    micros.set(stage, (micros.get(stage) ?? 0) + lasted);
  }
  return micros;
}

export function readProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}

export function formatSummary(title: string, summary: ProfileSummary): string {
  const busy = summary.totalMs - summary.idleMs;
  const lines = [`${title}: ${Math.round(busy)} ms on CPU of ${Math.round(summary.totalMs)} ms profiled`];
  const table = (heading: string, rows: TimeShare[]) => {
    lines.push(`  ${heading}`);
    for (const row of rows) lines.push(`    ${(row.share * 100).toFixed(1).padStart(5)} %  ${String(row.ms).padStart(6)} ms  ${row.name}`);
  };
  table('self time by owner', summary.byOwner);
  table('self time by function', summary.byFunction);
  return lines.join('\n');
}

if (require.main === module) {
  const [path, top] = process.argv.slice(2);
  if (!path) {
    process.stderr.write('usage: node dist/bench/cpu-profile.js FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatSummary(path, summarizeProfile(readProfile(path), Number(top ?? 15)))}\n`);
}
