import type { LoginItemCapability, LoginItemState } from './login-item.js';

export type { HostShell } from '../core/base/host-shell.js';

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
