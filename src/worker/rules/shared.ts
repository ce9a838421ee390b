import type { Engine } from '../engine';
import type { SiteResolver } from '../site';
import type { ScanContext, StreamView } from '../stream-view';
import type { Finding, StreamRef } from '../../shared/finding';
import { refOf, streamFinding } from '../finding-builder';

/** Summary fragment for the scan line, after a count. */
export const summary = 'groups of streams share objects that survive a full GC';

/**
 * Notifications that several streams received as one object and that survive a full GC:
 * GC cannot say which consumer keeps them, so one finding names all candidates instead of
 * blaming any of them.
 */
export function sharedFindings(
  views: StreamView[],
  context: ScanContext,
  sites: SiteResolver,
  engine: Engine,
) {
  const byGroup = new Map<string, StreamView[]>();
  for (const view of views) {
    if (view.sharedHeld * view.entry.sampleEvery <= context.settings.heldThreshold) continue;
    const members = [view.entry.id, ...view.sharedWith].sort((a, b) => a - b);
    const signature = members.join(',');
    if (!byGroup.has(signature)) byGroup.set(signature, []);
    byGroup.get(signature)!.push(view);
  }
  const findings: Finding[] = [];
  for (const [signature, candidates] of byGroup) {
    const first = candidates[0];
    const count = Math.max(...candidates.map((view) => view.sharedHeld * view.entry.sampleEvery));
    const refs: StreamRef[] = signature.split(',').map((id) => refOf(engine, Number(id), sites));
    const finding = streamFinding('shared', '', first, sites, context.now);
    finding.stream = 0;
    finding.held = count;
    finding.live = count;
    finding.site = refs.map((ref) => ref.site).join(', ');
    finding.sharedWith = refs;
    finding.message =
      `${count} notifications delivered as the same objects to streams ` +
      `${refs.map((ref) => `#${ref.stream}`).join(', ')} survive a full GC: one of these ` +
      `consumers keeps them and GC cannot tell which. Track with { copy: true } for exact ` +
      `attribution.`;
    findings.push(finding);
  }
  return findings;
}
