import { useEffect, useRef, useState } from 'react';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { claimWebglSlot } from './webgl-contexts';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { Settings } from '../../../preload/contract';
import { useBridge } from '../hooks/useBridge';
import { useConnection } from '../hooks/useConnection';
import { IS_MAC, isAppShortcut } from '../hooks/useShortcuts';
import { withMonospaceFallback } from '../settings/font-stack';
import { copyText, readClipboardText } from './clipboard';
import { SearchBar } from './SearchBar';
import { revealLine } from './reveal-line';
import { xtermSkipView } from './output-fast-forward';
import { TerminalSession, type SessionState } from './terminal-session';
import { TERMINAL_THEMES } from './terminal-theme';

const RESIZE_DEBOUNCE_MS = 80;
/** A page hidden this long stops taking output (see TerminalSession.suspend); shown again, it attaches afresh. */
const HIDDEN_SUSPEND_MS = 1000;

interface Live {
  readonly term: Terminal;
  readonly fit: FitAddon;
  readonly search: SearchAddon;
  readonly session: TerminalSession;
}

type TerminalSettings = Pick<Settings, 'terminalFontFamily' | 'terminalFontSize' | 'scrollbackLines'>;

/**
 * An agent's terminal in xterm.js: attached to the daemon (snapshot, then the live stream with
 * acknowledgements), typed into, fitted to its box, searchable, with copy and paste on Ctrl/Cmd+Shift+C/V.
 */
export function TerminalView({
  name,
  settings,
  theme,
  onState,
  onNotice,
  reveal,
}: {
  name: string;
  settings: TerminalSettings | undefined;
  theme: 'light' | 'dark';
  onState: (state: SessionState) => void;
  onNotice: (text: string) => void;
  /** A search hit to scroll to and select once the console shows the agent's screen. */
  reveal?: { readonly text: string; readonly fromBottom: number } | undefined;
}) {
  const bridge = useBridge();
  const connection = useConnection();
  const box = useRef<HTMLDivElement>(null);
  const [live, setLive] = useState<Live>();
  const [searching, setSearching] = useState(false);
  const [renderer, setRenderer] = useState<'webgl' | 'dom'>('dom');
  // Callbacks read through refs so the terminal is not rebuilt when a parent re-renders.
  const callbacks = useRef({ onState, onNotice });
  callbacks.current = { onState, onNotice };
  const initial = useRef({ settings, theme });
  const [attached, setAttached] = useState(false);

  useEffect(() => {
    const element = box.current!;
    const { settings: s, theme: t } = initial.current;
    const term = new Terminal({
      fontFamily: withMonospaceFallback(s?.terminalFontFamily),
      fontSize: s?.terminalFontSize ?? 13,
      scrollback: s?.scrollbackLines ?? 10_000,
      theme: TERMINAL_THEMES[t],
      allowProposedApi: true,
      cursorBlink: true,
      macOptionIsMeta: true,
      drawBoldTextInBrightColors: false,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    // window.open: the Electron shell routes it to the system browser, a browser opens a tab.
    term.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener,noreferrer')));
    term.open(element);
    // WebGL where the browser has it, within a cap on live contexts; the DOM renderer otherwise.
    // A hidden page draws nothing (no animation frames) and gives its context back.
    let webgl: { addon: WebglAddon; release: () => void } | undefined;
    let webglFailed = false;
    const dropWebgl = () => {
      const current = webgl;
      webgl = undefined;
      if (!current) return;
      current.release();
      current.addon.dispose();
      setRenderer('dom');
    };
    const loadWebgl = () => {
      if (webgl || webglFailed || document.hidden) return;
      try {
        const addon = new WebglAddon();
        addon.onContextLoss(dropWebgl);
        term.loadAddon(addon);
        webgl = { addon, release: claimWebglSlot(dropWebgl) };
        setRenderer('webgl');
      } catch {
        webglFailed = true; // No WebGL here: xterm's DOM renderer draws instead.
        setRenderer('dom');
      }
    };
    loadWebgl();
    // A hidden page draws nothing; after a moment it also stops taking output, so the agent does not
    // wait on it (a hidden tab's timers run once a second at best), and catches up when shown.
    let hiddenTimer: ReturnType<typeof setTimeout> | undefined;
    const onVisibility = () => {
      if (document.hidden) {
        dropWebgl();
        hiddenTimer ??= setTimeout(() => {
          hiddenTimer = undefined;
          if (document.hidden) session.suspend();
        }, HIDDEN_SUSPEND_MS);
        return;
      }
      clearTimeout(hiddenTimer);
      hiddenTimer = undefined;
      loadWebgl();
      if (session.isSuspended) void session.attach();
    };
    document.addEventListener('visibilitychange', onVisibility);

    term.attachCustomKeyEventHandler((event) => {
      // App shortcuts are left to the window: the page changes and the program gets nothing.
      if (isAppShortcut(event)) return false;
      if (event.type !== 'keydown') return true;
      const mod = IS_MAC ? event.metaKey : event.ctrlKey;
      const key = event.key.toLowerCase();
      if (mod && !event.shiftKey && key === 'f') {
        event.preventDefault();
        setSearching(true);
        return false;
      }
      if (mod && event.shiftKey && key === 'c') {
        event.preventDefault();
        const text = term.getSelection();
        if (text) void copyText(text).then((ok) => callbacks.current.onNotice(ok ? 'Copied' : 'The browser did not allow copying; use its menu.'));
        return false;
      }
      if (mod && event.shiftKey && key === 'v') {
        event.preventDefault();
        void readClipboardText().then((text) => {
          if (text === undefined) callbacks.current.onNotice(`The browser did not allow reading the clipboard; press ${IS_MAC ? '⌘V' : 'Ctrl+V'} instead.`);
          else if (text) term.paste(text);
        });
        return false;
      }
      return true;
    });

    const session = new TerminalSession(
      bridge,
      name,
      {
        reset: () => term.reset(),
        resize: (cols, rows) => term.resize(cols, rows),
        write: (data, parsed) => term.write(data, parsed),
        skipView: () => xtermSkipView(term),
        // For tests and benchmarks: how often output that would have scrolled out unseen was skipped.
        fastForwarded: ({ skips, bytes }) => {
          element.dataset.fastForwards = String(skips);
          element.dataset.fastForwardedBytes = String(bytes);
        },
      },
      (state) => {
        callbacks.current.onState(state);
        // Once the snapshot is drawn at the agent's size, take this window's size.
        if (state.kind === 'live') fitNow();
        setAttached(state.kind === 'live');
      },
    );

    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    const onResize = term.onResize(({ cols, rows }) => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => bridge.call('terminal.resize', name, cols, rows).catch(() => undefined), RESIZE_DEBOUNCE_MS);
    });
    const fitNow = () => {
      if (element.clientWidth > 0 && element.clientHeight > 0) fit.fit();
    };
    const observer = new ResizeObserver(() => fitNow());
    observer.observe(element);
    const onInput = term.onData((data) => {
      bridge.call('terminal.input', name, data).catch((error: Error) => callbacks.current.onNotice(error.message));
    });

    setLive({ term, fit, search, session });
    void session.attach();
    if (document.hidden) onVisibility(); // opened in a background tab
    term.focus();
    return () => {
      clearTimeout(resizeTimer);
      clearTimeout(hiddenTimer);
      observer.disconnect();
      onResize.dispose();
      onInput.dispose();
      session.dispose();
      document.removeEventListener('visibilitychange', onVisibility);
      dropWebgl();
      term.dispose();
      setLive(undefined);
    };
  }, [bridge, name]);

  // After a reconnect the daemon has forgotten this console: attach again from a fresh snapshot.
  const previousConnection = useRef(connection);
  useEffect(() => {
    const before = previousConnection.current;
    previousConnection.current = connection;
    // A suspended console (hidden page) attaches when it is shown.
    if (connection === 'open' && before !== 'open' && live && !live.session.isSuspended) void live.session.attach();
  }, [connection, live]);

  // A search hit: once the snapshot is drawn (and fitted), scroll to it and select it (once: not again
  // when the console attaches afresh after a reconnect or a hidden spell).
  const revealed = useRef<typeof reveal>(undefined);
  useEffect(() => {
    if (!live || !attached || !reveal || revealed.current === reveal) return;
    const frame = requestAnimationFrame(() => {
      revealed.current = reveal;
      if (!revealLine(live.term, reveal.text, reveal.fromBottom)) callbacks.current.onNotice(`“${reveal.text}” is no longer in ${name}'s scrollback.`);
    });
    return () => cancelAnimationFrame(frame);
  }, [live, attached, reveal, name]);

  useEffect(() => {
    if (!live) return;
    live.term.options.theme = TERMINAL_THEMES[theme];
  }, [live, theme]);

  useEffect(() => {
    if (!live || !settings) return;
    live.term.options.fontFamily = withMonospaceFallback(settings.terminalFontFamily);
    live.term.options.fontSize = settings.terminalFontSize;
    live.term.options.scrollback = settings.scrollbackLines;
    if (box.current && box.current.clientWidth > 0) live.fit.fit();
  }, [live, settings?.terminalFontFamily, settings?.terminalFontSize, settings?.scrollbackLines]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((IS_MAC ? event.metaKey : event.ctrlKey) && !event.shiftKey && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        setSearching(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="terminal-frame" data-renderer={renderer}>
      {searching && live ? (
        <SearchBar
          search={live.search}
          theme={theme}
          onClose={() => {
            setSearching(false);
            live.term.focus();
          }}
        />
      ) : null}
      <div ref={box} className="terminal-box" data-testid="terminal" aria-label={`Console of ${name}`} />
    </div>
  );
}
