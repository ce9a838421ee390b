import type { Engine } from './engine';
import type { SiteResolver } from './site';
import type { StreamView } from './stream-view';
import type { Finding, FindingKind, StreamRef } from '../shared/finding';
import { SCHEMA_VERSION } from '../shared/finding';
import { exclusiveHeld } from './stream-view';

/** Builds the finding for one stream; also used for the snapshot's stream list. */
export function streamFinding(
  kind: FindingKind,
  message: string,
  view: StreamView,
  sites: SiteResolver,
  now: number,
): Finding {
  const entry = view.entry;
  const frames = sites.frames(entry.stack);
  const oldest = Math.min(view.oldestQueuedAt, view.oldestHeldAt);
  return {
    v: SCHEMA_VERSION,
    time: new Date().toISOString(),
    kind,
    stream: entry.id,
    label: entry.label,
    message,
    delivered: entry.delivered,
    queued: entry.queued,
    held: kind === 'leak' || kind === 'held' ? exclusiveHeld(view) : view.confirmedHeld,
    live: view.live,
    closed: entry.closedAt !== 0,
    closedBy: entry.closedAt === 0 ? null : entry.closedByGc ? 'gc' : 'explicit',
    ageMs: Math.round(now - entry.createdAt),
    oldestAgeMs: Number.isFinite(oldest) ? Math.round(now - oldest) : 0,
    oldestKey: view.oldestKey,
    site: sites.site(frames),
    stack: sites.format(frames),
    collectedUnreleased: entry.collectedUnreleased,
    sampleEvery: entry.sampleEvery,
    heldError:
      entry.sampleEvery > 1 ? Math.round(entry.sampleEvery * Math.sqrt(view.confirmedHeld)) : 0,
  };
}

/** A short reference to a stream for lists of holders and sharers. */
export function refOf(engine: Engine, id: number, sites: SiteResolver): StreamRef {
  const entry = engine.streams.get(id);
  if (entry === undefined) return { stream: id, label: 'unknown', site: 'unknown' };
  return { stream: id, label: entry.label, site: sites.site(sites.frames(entry.stack)) };
}
