import type { Bridge } from '../bridge';

/** Asks the host for a folder; resolves undefined when the user cancels. */
export type FolderPicker = () => Promise<string | undefined>;

/**
 * The host's folder picker, where it has one: the tray app's native dialog (`app.pickFolder`). The
 * web dashboard has none: there the folder is typed.
 */
export function folderPickerFor(bridge: Bridge): FolderPicker | undefined {
  if (bridge.transport !== 'ipc') return undefined;
  return async () => {
    const picked = await bridge.call('app.pickFolder', { title: 'Choose the working folder' });
    return picked.path ?? undefined;
  };
}
