import { Subject } from 'rxjs';
import type { StreamHandle } from '../src/main/stream-handle';
import type { BlockNotification } from './workload';
import type { Delivery } from './shapes';
import { specFor } from '../src/main/options';
import { runningAgent } from '../src/main/state';
import { SUBJECT_SUBSCRIBERS } from './shapes';
import { blockAt, consume } from './workload';

/**
 * The recording path alone, without any shape's wrapper: an RxJS Subject with 10
 * subscribers, each calling its own StreamHandle.deliverConsumed() before the user's code,
 * which is exactly what a callback-style shape adds per delivery. It measures the engine
 * (StreamHandle, Tracker, Recorder, GcTracker) whatever shapes exist. `gc` null builds
 * the same Subject without handles, the baseline; otherwise the agent must be running.
 */
export function buildHandleSubject(gc: boolean | null): Delivery {
  const agent = runningAgent();
  const subject = new Subject<BlockNotification>();
  for (let s = 0; s < SUBJECT_SUBSCRIBERS; s++) {
    const handle: StreamHandle | null =
      gc === null || agent === null
        ? null
        : agent.tracker.openStream(specFor({ label: 'bench-handle', gc }, agent.settings));
    subject.subscribe((block) => {
      handle?.deliverConsumed(block);
      consume(block);
    });
  }
  return {
    run(n) {
      const notifications = Math.ceil(n / SUBJECT_SUBSCRIBERS);
      for (let i = 0; i < notifications; i++) subject.next(blockAt(i));
    },
  };
}
