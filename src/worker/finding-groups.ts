import type { Finding } from '../shared/finding';
import { formatFinding } from './report-format';

/** Full finding blocks printed per report; the rest are summed up in lines. */
export const MAX_BLOCKS = 10;
/** Individual finding lines written to the report file per scan. */
export const MAX_FILE_FINDINGS = 1000;
/** Stream ids listed for a group of findings from one site. */
const IDS_SHOWN = 8;

/** Findings of one kind whose streams were created at one site. */
export interface FindingGroup {
  kind: string;
  site: string;
  /** The first (worst) finding of the group, printed in full. */
  worst: Finding;
  streams: number[];
}

/**
 * Groups findings by kind and creation site, keeping their order (worst first). A consumer
 * that opens a stream per block makes hundreds of findings from one line of code; a reader
 * needs that line once, with the count.
 */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const finding of findings) {
    // Process-wide findings (pin-limit, shared) stand alone.
    const id =
      finding.stream === 0 ? `${finding.kind}#${groups.size}` : `${finding.kind} ${finding.site}`;
    const group = groups.get(id);
    if (group) group.streams.push(finding.stream);
    else
      groups.set(id, {
        kind: finding.kind,
        site: finding.site,
        worst: finding,
        streams: [finding.stream],
      });
  }
  return [...groups.values()];
}

/** The stderr text for a list of findings: the worst groups in full, the rest in one line each. */
export function formatFindingGroups(findings: readonly Finding[]): string {
  const groups = groupFindings(findings);
  const parts: string[] = [];
  for (const group of groups.slice(0, MAX_BLOCKS)) {
    let block = formatFinding(group.worst);
    if (group.streams.length > 1) {
      const others = group.streams.slice(1);
      const shown = others
        .slice(0, IDS_SHOWN)
        .map((id) => `#${id}`)
        .join(', ');
      const more = others.length > IDS_SHOWN ? ` and ${others.length - IDS_SHOWN} more` : '';
      block += `\n  and ${others.length} more streams from this site: ${shown}${more}`;
    }
    parts.push(block);
  }
  const rest = groups.slice(MAX_BLOCKS);
  if (rest.length > 0) {
    const streams = rest.reduce((sum, group) => sum + group.streams.length, 0);
    parts.push(`pinwatch: ${streams} more findings in ${rest.length} groups, by kind and site:`);
    for (const group of rest) {
      parts.push(`  ${group.kind} x${group.streams.length} created at ${group.site}`);
    }
  }
  return parts.join('\n');
}
