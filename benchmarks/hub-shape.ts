import type { BlockNotification as HubNotification } from '../src/main/hub/index';
import type { Delivery } from './shapes';
import type { BlockNotification } from './workload';
import { NotificationHub } from '../src/main/hub/index';
import { blockAt, consume } from './workload';

/** Finality streams on the hub, each with a consumer that reads and releases. */
export const HUB_CONSUMERS = 10;

/**
 * The first-party hub: finality notifications to 10 streams, each read with `for await`
 * and released at once. The hub is tracked when the agent runs as its streams open, so
 * the baseline is a hub built before the agent starts. `tap` runs per delivery (the naive
 * postMessage design).
 */
export function buildHubDelivery(tap?: (value: BlockNotification) => void): Delivery {
  const hub = new NotificationHub();
  let consumed = 0;
  let target = 0;
  let wake: (() => void) | null = null;
  const onTaken = (notification: HubNotification) => {
    tap?.(notification.header);
    consume(notification.header);
    notification.release();
    if (++consumed >= target && wake !== null) {
      const resolve = wake;
      wake = null;
      resolve();
    }
  };
  for (let c = 0; c < HUB_CONSUMERS; c++) {
    const stream = hub.finalityNotificationStream({ name: `bench consumer ${c}` });
    void (async () => {
      for await (const notification of stream) onTaken(notification);
    })();
  }
  return {
    run(n) {
      const notifications = Math.ceil(n / HUB_CONSUMERS);
      target = consumed + notifications * HUB_CONSUMERS;
      const done = new Promise<void>((resolve) => (wake = resolve));
      for (let i = 0; i < notifications; i++) hub.notifyFinalized(blockAt(i));
      return done;
    },
  };
}
