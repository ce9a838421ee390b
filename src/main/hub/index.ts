export { NotificationHub } from './notification-hub';
export type { NotificationHubOptions, HubStreamOptions } from './notification-hub';
export { NotificationStream } from './hub-stream';
export { InMemoryBackend, DEFAULT_PIN_LIMIT, describeHolders } from './backend';
export type {
  BlockHolder,
  ForceUnpin,
  HolderLookup,
  InMemoryBackendOptions,
  PinBackend,
} from './backend';
export { BlockNotification, FinalityNotification, ImportNotification } from './notification';
export type {
  BlockHeader,
  BlockOrigin,
  FinalityDetails,
  ImportDetails,
  TreeRoute,
} from './notification';
