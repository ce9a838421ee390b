import { readFileSync } from 'node:fs';
import { CONSUMERS, consumerAt } from './consumers';

/** One status line of the simulated node. */
export interface NodeStatus {
  final: boolean;
  t: number;
  best: number;
  finalized: number;
  pinned: number;
  stored: number;
  deferred: number;
  streams: number;
  heapMb: number;
  rssMb: number;
  majorGcs: number;
  cpuMs?: number;
  maxRssMb?: number;
  loopP99Ms?: number;
}

/** What the report file says about one consumer. */
export interface ConsumerVerdict {
  name: string;
  healthy: boolean;
  /** Finding kinds reported at the consumer's own creation sites. */
  kinds: string[];
  /** `examples/consumers/<name>.ts:<line>` of each site named. */
  sites: string[];
  /** Distinct streams reported. */
  streams: number;
  /** Named anywhere: as a site, a sharer or a holder. */
  named: boolean;
}

interface ReportLine {
  type?: string;
  kind?: string;
  stream?: number;
  site?: string;
  sharedWith?: { site: string }[];
  holders?: { site: string }[];
}

/** Reads the agent's JSON lines and tells, per consumer, what was said about it. */
export function readVerdicts(reportFile: string): ConsumerVerdict[] {
  const verdicts = new Map<string, ConsumerVerdict & { ids: Set<number> }>();
  for (const consumer of CONSUMERS) {
    verdicts.set(consumer.name, {
      name: consumer.name,
      healthy: consumer.healthy,
      kinds: [],
      sites: [],
      streams: 0,
      named: false,
      ids: new Set(),
    });
  }
  for (const line of readLines(reportFile)) {
    if (line.type !== 'finding') continue;
    const mentioned = [line.site ?? '', ...(line.sharedWith ?? []), ...(line.holders ?? [])];
    for (const ref of mentioned) {
      const site = typeof ref === 'string' ? ref : ref.site;
      for (const part of site.split(', ')) {
        const at = consumerAt(part);
        const verdict = at === null ? undefined : verdicts.get(at.name);
        if (verdict !== undefined) verdict.named = true;
      }
    }
    const own = consumerAt(line.site ?? '');
    const verdict = own === null || line.stream === 0 ? undefined : verdicts.get(own.name);
    if (verdict === undefined || own === null) continue;
    const site = `examples/consumers/${own.name}.ts:${own.line}`;
    if (!verdict.sites.includes(site)) verdict.sites.push(site);
    if (line.kind !== undefined && !verdict.kinds.includes(line.kind)) {
      verdict.kinds.push(line.kind);
    }
    verdict.ids.add(line.stream ?? 0);
  }
  return [...verdicts.values()].map(({ ids, ...verdict }) => ({ ...verdict, streams: ids.size }));
}

function readLines(file: string): ReportLine[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const lines: ReportLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    try {
      lines.push(JSON.parse(raw) as ReportLine);
    } catch {
      // A line cut short by the exit is skipped.
    }
  }
  return lines;
}

/**
 * The agent's stderr split into finding blocks, keeping the first block said about each
 * consumer file, in the order they came.
 */
export function firstBlockPerConsumer(stderr: string): string[] {
  const blocks: string[][] = [];
  for (const line of stderr.split('\n')) {
    if (line.startsWith('pinwatch: ')) blocks.push([line]);
    else if (line.startsWith('  ') && blocks.length > 0) blocks[blocks.length - 1].push(line);
  }
  const seen = new Set<string>();
  const chosen: string[] = [];
  for (const block of blocks) {
    const created = block.find((line) => line.startsWith('  created at '));
    const at = created === undefined ? null : consumerAt(created);
    if (at === null || seen.has(at.name)) continue;
    seen.add(at.name);
    chosen.push(block.slice(0, 4).join('\n'));
  }
  return chosen;
}

/** Status lines of the simulated node, in order. */
export function parseStatus(stdout: string, prefix: string): NodeStatus[] {
  const statuses: NodeStatus[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    try {
      statuses.push(JSON.parse(line.slice(prefix.length)) as NodeStatus);
    } catch {
      // A partial line is skipped.
    }
  }
  return statuses;
}
