/**
 * What the Electron shell offers the daemon beyond the contract's own data: the seam through which
 * main/core (which never imports Electron) reaches OS features. The proposal for the integrator:
 * `createService({ ..., shell })` takes a HostShell; the headless host passes none, and each
 * handler answers "not supported" when a capability is absent.
 */
import type { OpenLinkResult } from './external-links.js';
import type { LoginItemCapability, LoginItemState } from './login-item.js';
import type { UpdateOutcome } from './updater.js';

export interface HostShell {
  /** `app.getLoginItem` / `app.setLoginItem`: start at login. */
  readonly loginItem?: LoginItemCapability;
  /** Opens an https URL the daemon produced (an authorize or verification URI) in the browser. */
  readonly openExternal?: (url: string) => Promise<OpenLinkResult>;
  /** `app.checkForUpdates`: the same check as the tray's "Check for updates…". */
  readonly checkForUpdates?: () => Promise<UpdateOutcome>;
}

/** A login item capability that tells `onChange` after every successful change, wherever it came from. */
export function observeLoginItem(capability: LoginItemCapability, onChange: (state: LoginItemState) => void): LoginItemCapability {
  return {
    get: () => capability.get(),
    set(openAtLogin) {
      const result = capability.set(openAtLogin);
      onChange(result.state);
      return result;
    },
  };
}
