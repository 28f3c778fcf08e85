// The relay's public surface for the daemon (service.ts) and the hosts.
export { RelayHub, type RelayHubOptions } from './relay-hub.js';
export { TargetDirectory, systemClock, targetKey, type AgentRunState, type Clock, type RelayTarget } from './relay-target.js';
export { HUMAN_SENDER, SYSTEM_SENDER, INTERRUPTED_REASON, DEFAULT_ACK_WINDOW_MS, type RelayError, type RelayEvent, type SendResult } from './router.js';
export { MESSAGE_LOG_FILE, type Delivery, type DeliveryStatus, type MessageStatus, type HistoryFilter, type HistoryPage, type RelayMessage } from './message-log.js';
export { RelayParser, type ParsedRelayMessage, type RelayParserOptions, type ResumePoint } from './relay-parser.js';
export { DEFAULT_MAX_INJECT_BYTES, formatInjection, formatRelayText, sanitizeText } from './sanitize.js';
export { isMessageId } from './message-id.js';
export { PasteModeTracker } from './paste-mode.js';
