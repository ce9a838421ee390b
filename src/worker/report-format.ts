import type { Engine } from './engine';
import type { BudgetWarning } from './pin-budget';
import type { ScanResult } from './scan';
import type { Finding } from '../shared/finding';
import { formatMs } from './stream-view';

/** Stack frames printed under a finding; the full stack is in the JSON line. */
const STACK_LINES = 5;

/** One readable block: the headline, the counts, the site and a short stack. */
export function formatFinding(finding: Finding): string {
  const lines: string[] = [];
  const who = finding.stream === 0 ? 'process' : `stream #${finding.stream} (${finding.label})`;
  lines.push(`pinwatch: ${finding.kind.toUpperCase()} ${who}: ${finding.message}`);
  if (finding.stream !== 0) {
    const state = finding.closed ? `closed (${finding.closedBy})` : 'open';
    const oldest = finding.oldestKey
      ? `, oldest ${formatMs(finding.oldestAgeMs)} (${finding.oldestKey})`
      : '';
    lines.push(
      `  live ${finding.live} (backlog ${finding.queued}, held ${finding.held}), delivered ` +
        `${finding.delivered}, ${state}, age ${formatMs(finding.ageMs)}${oldest}`,
    );
    if (finding.collectedUnreleased > 0) {
      lines.push(`  ${finding.collectedUnreleased} were collected by GC without release()`);
    }
    if (finding.sampleEvery > 1) {
      lines.push(
        `  held is estimated from 1 in ${finding.sampleEvery} notifications: ` +
          `${finding.held} ± ${finding.heldError}`,
      );
    }
    lines.push(`  created at ${finding.site}`);
    for (const frame of finding.stack.slice(0, STACK_LINES)) lines.push(`    at ${frame}`);
  }
  for (const ref of finding.sharedWith ?? []) {
    lines.push(`  shares with #${ref.stream} (${ref.label}) created at ${ref.site}`);
  }
  for (const ref of finding.holders ?? []) {
    lines.push(`  holder #${ref.stream} (${ref.label}) pins ${ref.count} at ${ref.site}`);
  }
  return lines.join('\n');
}

/** The pin budget warning: the count, its growth, the time left and who holds the pins. */
export function formatBudget(warning: BudgetWarning): string {
  const used = Math.round((warning.pinnedKeys / warning.budget) * 100);
  const lines = [
    `pinwatch: PIN BUDGET ${warning.pinnedKeys} of ${warning.budget} keys pinned (${used}%, ` +
      `warning at ${warning.warnPercent}%): the node stops subscriptions past its budget`,
  ];
  if (warning.exhaustedInMs === 0) {
    lines.push('  the budget is used up');
  } else if (warning.exhaustedInMs !== null) {
    lines.push(
      `  growing ${warning.growthPerMinute} keys/min: used up in about ` +
        formatMs(warning.exhaustedInMs),
    );
  } else {
    lines.push('  not growing over the last scans');
  }
  for (const holder of warning.holders) {
    const streams = holder.streams.map((id) => `#${id}`).join(', ');
    lines.push(`  ${holder.label} at ${holder.site} pins ${holder.pins} (streams ${streams})`);
  }
  return lines.join('\n');
}

/** The fields of the per-scan summary line. */
export function summaryFields(result: ScanResult, engine: Engine): Record<string, unknown> {
  const live = Object.entries(result.labels)
    .map(([label, totals]) => `${label}:${totals.live}`)
    .join(',');
  const kinds = Object.entries(result.counts)
    .map(([kind, count]) => `${kind}:${count}`)
    .join(',');
  return {
    streams: result.streams,
    open: result.open,
    live: live || 'none',
    pinned: `${result.pinnedKeys}/${result.pinLimit}`,
    awaitingGc: result.awaitingGc,
    dropped: engine.anomalies.droppedTotal,
    findings: kinds || 'none',
  };
}
