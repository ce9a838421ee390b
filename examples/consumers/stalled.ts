import type { ImportNotification, NotificationStream } from '../../src/main/index';
import type { DemoHeader } from '../node/block-store';
import type { DemoContext } from '../node/demo-context';

/** Streams the exporter means to drain once its HTTP server is up. */
const pending: NotificationStream<ImportNotification<DemoHeader>>[] = [];

/**
 * A stalled consumer: a metrics exporter opens its import stream at start-up and only
 * reads it once its server listens, which never happens. Every import waits in the queue
 * and pins its block.
 */
export function startMetricsExporter(context: DemoContext): void {
  // CULPRIT: opened at start-up, never read.
  pending.push(context.hub.importNotificationStream());
}
