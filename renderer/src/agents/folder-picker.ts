import type { Bridge } from '../bridge';

/** Asks the host for a folder; resolves undefined when the user cancels. */
export type FolderPicker = () => Promise<string | undefined>;

/**
 * The host's folder picker, where it has one. Electron will offer it through a contract method
 * (such as `app.pickFolder` over `dialog.showOpenDialog`); until then, and headless, the folder is typed.
 */
export function folderPickerFor(bridge: Bridge): FolderPicker | undefined {
  void bridge;
  return undefined;
}
