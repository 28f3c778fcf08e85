import { useEffect, useRef, useState } from 'react';
import type { TeamTemplate } from '../../../preload/contract';
import { useBridge } from '../hooks/useBridge';

export interface TeamTemplates {
  readonly templates: ReadonlyArray<TeamTemplate> | undefined;
  /** A teams.json in the folder that could not be used, as the daemon explains it. */
  readonly problem: string | undefined;
  readonly error: string | undefined;
}

/** Pause after the last keystroke in the folder field before asking for that folder's teams. */
const FOLDER_SETTLE_MS = 300;

/** The built-in teams and those of `<cwd>/teams.json`, fetched again (debounced) when the folder changes. */
export function useTeamTemplates(cwd: string): TeamTemplates {
  const bridge = useBridge();
  const [state, setState] = useState<TeamTemplates>({ templates: undefined, problem: undefined, error: undefined });
  const folder = cwd.trim();
  // The first fetch goes at once; later ones wait for the typing to settle.
  const fetched = useRef(false);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(
      () => {
        fetched.current = true;
        bridge.call('teams.list', folder ? { cwd: folder } : {}).then(
          (listing) => live && setState({ templates: listing.templates, problem: listing.problem, error: undefined }),
          (error: unknown) => live && setState((s) => ({ ...s, error: (error as Error).message })),
        );
      },
      fetched.current ? FOLDER_SETTLE_MS : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [bridge, folder]);
  return state;
}
