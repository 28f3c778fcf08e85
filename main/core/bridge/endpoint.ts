import type { Dispatcher } from './dispatcher.js';
import type { EventHub } from './event-hub.js';

/** What a transport needs of the daemon: calls go to the dispatcher, events come from the hub. */
export interface BridgeEndpoint {
  readonly dispatcher: Dispatcher;
  readonly events: Pick<EventHub, 'subscribe'>;
}
