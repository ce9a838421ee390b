import type { Engine } from './engine';
import type { StreamEntry } from './stream-entry';
import type { ScanContext, StreamView } from './stream-view';
import { SLOT_HELD, SLOT_QUEUED } from './slot-table';

/**
 * The one pass of a scan over live notifications: per stream, how many are held past a
 * settled full GC, how many of those are shared with other streams (and with which), the
 * oldest queued and held, and how many still pin a key.
 */
export function walkSlots(engine: Engine, context: ScanContext): Map<number, StreamView> {
  const views = new Map<number, StreamView>();
  const slots = engine.slots;
  const { state, since, epoch, stream, group, key } = slots;
  const settledGcCount = context.settled.count;
  const groupStreams = new Map<number, Set<number>>();
  const viewGroups = new Map<StreamView, Set<number>>();

  for (let slot = 1; slot <= slots.high; slot++) {
    const slotState = state[slot];
    if (slotState !== SLOT_QUEUED && slotState !== SLOT_HELD) continue;
    const streamId = stream[slot];
    let view = views.get(streamId);
    if (view === undefined) {
      const entry = engine.streams.get(streamId);
      if (entry === undefined) continue;
      view = emptyView(entry);
      views.set(streamId, view);
    }
    const at = since[slot];
    const pinned = key[slot];
    if (pinned && !pinned.gone) view.pinnedSlots++;
    if (slotState === SLOT_QUEUED) {
      if (at < view.oldestQueuedAt) view.oldestQueuedAt = at;
      if (at < oldestOf(view)) view.oldestSlot = slot;
      continue;
    }
    // A held notification taken after the last settled full GC may be garbage already.
    if (epoch[slot] >= settledGcCount) continue;
    view.confirmedHeld++;
    if (slots.seq[slot] === view.entry.delivered) view.latestHeld = true;
    if (at < view.oldestHeldAt) {
      if (at < oldestOf(view)) view.oldestSlot = slot;
      view.oldestHeldAt = at;
    }
    const slotGroup = group[slot];
    if (slotGroup !== 0) {
      view.sharedHeld++;
      let members = groupStreams.get(slotGroup);
      if (members === undefined) groupStreams.set(slotGroup, (members = new Set()));
      members.add(streamId);
      let groups = viewGroups.get(view);
      if (groups === undefined) viewGroups.set(view, (groups = new Set()));
      groups.add(slotGroup);
    }
  }

  for (const [view, groups] of viewGroups) {
    for (const id of groups) {
      for (const member of groupStreams.get(id) ?? []) {
        if (member !== view.entry.id) view.sharedWith.add(member);
      }
    }
    // A group whose other members let go is this stream's alone after all.
    if (view.sharedWith.size === 0) view.sharedHeld = 0;
  }
  for (const view of views.values()) {
    view.live = view.entry.queued + view.confirmedHeld * view.entry.sampleEvery;
    if (view.oldestSlot !== 0) {
      const pinned = key[view.oldestSlot];
      view.oldestKey = pinned ? pinned.key : `#${slots.seq[view.oldestSlot]}`;
    }
  }
  return views;
}

function oldestOf(view: StreamView): number {
  return Math.min(view.oldestQueuedAt, view.oldestHeldAt);
}

export function emptyView(entry: StreamEntry): StreamView {
  return {
    entry,
    confirmedHeld: 0,
    sharedHeld: 0,
    sharedWith: new Set(),
    live: entry.queued,
    oldestQueuedAt: Infinity,
    oldestHeldAt: Infinity,
    oldestSlot: 0,
    oldestKey: '',
    pinnedSlots: 0,
    latestHeld: false,
  };
}
