import type { Session } from 'electron';
import type { Logger } from '../core/logging/logger.js';
import { CONTENT_SECURITY_POLICY } from '../core/transport/auth-pages.js';

/** Only notifications may be granted; camera, microphone, geolocation and the rest never. */
export const isPermissionGranted = (permission: string): boolean => permission === 'notifications';

/**
 * Session-wide rules: the CSP as a header (the page also carries it as a meta tag, so either alone
 * holds), and a permission policy that denies everything but notifications.
 */
export function applySessionPolicy(session: Session, logger: Logger): void {
  const log = logger.child('session');
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  session.setPermissionRequestHandler((_webContents, permission, callback) => {
    const granted = isPermissionGranted(permission);
    if (!granted) log.warn('denied a permission request', { permission });
    callback(granted);
  });
  session.setPermissionCheckHandler((_webContents, permission) => isPermissionGranted(permission));
}
