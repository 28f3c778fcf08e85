import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { AgentInfo, SearchHit, SearchResult } from '../../../preload/contract';
import { Dialog } from '../components/Dialog';
import { useBridge } from '../hooks/useBridge';
import type { ConsoleFind } from '../routes';

const DEBOUNCE_MS = 200;

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'searching' }
  | { readonly kind: 'done'; readonly result: SearchResult; readonly query: string }
  | { readonly kind: 'error'; readonly message: string };

function Highlighted({ hit }: { hit: SearchHit }) {
  return (
    <>
      {hit.text.slice(0, hit.start)}
      <mark>{hit.text.slice(hit.start, hit.end)}</mark>
      {hit.text.slice(hit.end)}
    </>
  );
}

/**
 * Search across agents (Ctrl/Cmd+Shift+F): the daemon searches every agent's scrollback where the
 * terminals live; hits are listed by agent with the lines around them, and opening one shows that
 * console scrolled to the line.
 */
export function SearchDialog({
  agents,
  onOpen,
  onClose,
}: {
  agents: ReadonlyArray<AgentInfo> | undefined;
  onOpen: (agent: string, find: ConsoleFind) => void;
  onClose: () => void;
}) {
  const bridge = useBridge();
  const [text, setText] = useState('');
  const [regex, setRegex] = useState(false);
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [agent, setAgent] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const results = useRef<HTMLDivElement>(null);
  const generation = useRef(0);

  useEffect(() => {
    const query = text.trim() ? text : '';
    const mine = ++generation.current;
    if (!query) {
      setState({ kind: 'idle' });
      return;
    }
    const timer = setTimeout(() => {
      setState({ kind: 'searching' });
      bridge
        .call('agents.search', { text: query, ...(regex ? { regex } : {}), ...(caseSensitive ? { caseSensitive } : {}), ...(agent ? { agent } : {}), limit: 500 })
        .then(
          (result) => mine === generation.current && setState({ kind: 'done', result, query }),
          (error: Error) => mine === generation.current && setState({ kind: 'error', message: error.message }),
        );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [bridge, text, regex, caseSensitive, agent]);

  const groups = useMemo(() => {
    if (state.kind !== 'done') return [];
    const byAgent = new Map<string, SearchHit[]>();
    for (const hit of state.result.hits) byAgent.set(hit.agent, [...(byAgent.get(hit.agent) ?? []), hit]);
    return [...byAgent.entries()];
  }, [state]);

  const open = (hit: SearchHit) => onOpen(hit.agent, { text: hit.text.slice(hit.start, hit.end) || hit.text, fromBottom: hit.fromBottom });

  // Up and down move between hits; from the search box, down goes to the first one.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...(results.current?.querySelectorAll<HTMLButtonElement>('button.search-hit') ?? [])];
    if (buttons.length === 0) return;
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = event.key === 'ArrowDown' ? Math.min(buttons.length - 1, index + 1) : index - 1;
    event.preventDefault();
    if (next < 0) document.querySelector<HTMLInputElement>('#search-across-agents')?.focus();
    else buttons[next]!.focus();
  };

  const summary =
    state.kind === 'done'
      ? state.result.hits.length === 0
        ? `No match in ${state.result.lines.toLocaleString()} lines.`
        : `${state.result.hits.length}${state.result.truncated ? '+' : ''} ${state.result.hits.length === 1 ? 'hit' : 'hits'} in ${groups.length} ${groups.length === 1 ? 'agent' : 'agents'} · ${state.result.lines.toLocaleString()} lines searched in ${state.result.tookMs} ms`
      : state.kind === 'searching'
        ? 'Searching…'
        : '';

  return (
    <Dialog title="Search all agents" description="Every agent's scrollback, searched where the terminals run." onClose={onClose} className="search-dialog" testId="search-dialog">
      <div className="search-body" onKeyDown={onKeyDown}>
        <div className="search-controls">
          <label className="visually-hidden" htmlFor="search-across-agents">
            Text to find
          </label>
          <input
            id="search-across-agents"
            className="input search-input"
            type="search"
            placeholder={regex ? 'Regular expression, e.g. error: E\\d+' : 'Find in every console…'}
            value={text}
            autoFocus
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                const first = state.kind === 'done' ? state.result.hits[0] : undefined;
                if (first) open(first);
              }
            }}
          />
          <div className="search-options">
            <label className="search-option">
              <input type="checkbox" checked={regex} onChange={(event) => setRegex(event.target.checked)} /> Regular expression
            </label>
            <label className="search-option">
              <input type="checkbox" checked={caseSensitive} onChange={(event) => setCaseSensitive(event.target.checked)} /> Match case
            </label>
            <label className="search-option">
              <span>In</span>
              <select className="input search-agent" value={agent} onChange={(event) => setAgent(event.target.value)}>
                <option value="">all agents</option>
                {(agents ?? []).map((a) => (
                  <option key={a.name} value={a.name}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </div>
        <p className="search-summary" role="status" aria-live="polite" data-testid="search-summary">
          {summary}
        </p>
        {state.kind === 'error' ? (
          <p className="search-error" role="alert">
            {state.message}
          </p>
        ) : null}
        <div className="search-results" ref={results} data-testid="search-results">
          {groups.map(([name, hits]) => (
            <section key={name} className="search-group" aria-label={`${name}: ${hits.length} ${hits.length === 1 ? 'hit' : 'hits'}`}>
              <h3 className="search-group-title">
                {name} <span className="search-group-count">{hits.length}</span>
              </h3>
              <ul className="search-hits">
                {hits.map((hit) => (
                  <li key={`${hit.line}:${hit.start}`}>
                    <button type="button" className="search-hit" onClick={() => open(hit)} title={`Open ${name}'s console at line ${hit.line + 1}`}>
                      {hit.before.map((line, i) => (
                        <span key={`b${i}`} className="search-line search-context">
                          <span className="search-lineno">{hit.line + 1 - hit.before.length + i}</span>
                          <span className="search-text">{line || ' '}</span>
                        </span>
                      ))}
                      <span className="search-line search-match">
                        <span className="search-lineno">{hit.line + 1}</span>
                        <span className="search-text">
                          <Highlighted hit={hit} />
                        </span>
                      </span>
                      {hit.after.map((line, i) => (
                        <span key={`a${i}`} className="search-line search-context">
                          <span className="search-lineno">{hit.line + 2 + i}</span>
                          <span className="search-text">{line || ' '}</span>
                        </span>
                      ))}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      </div>
    </Dialog>
  );
}
