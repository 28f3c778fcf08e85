import { useEffect, useRef, useState } from 'react';
import type { SearchAddon } from '@xterm/addon-search';
import { ChevronDownIcon, ChevronUpIcon, CloseIcon, SearchIcon } from '../components/Icons';
import { SEARCH_DECORATIONS } from './terminal-theme';

/** Find in the console: Enter finds the next match, Shift+Enter the previous, Esc closes. */
export function SearchBar({ search, theme, onClose }: { search: SearchAddon; theme: 'light' | 'dark'; onClose: () => void }) {
  const [term, setTerm] = useState('');
  const [results, setResults] = useState<{ index: number; count: number }>();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
    const sub = search.onDidChangeResults((e) => setResults({ index: e.resultIndex, count: e.resultCount }));
    return () => {
      sub.dispose();
      search.clearDecorations();
    };
  }, [search]);

  const options = { decorations: SEARCH_DECORATIONS[theme] };
  const find = (direction: 'next' | 'previous', value = term, incremental = false) => {
    if (value === '') {
      search.clearDecorations();
      setResults(undefined);
      return;
    }
    if (direction === 'next') search.findNext(value, { ...options, incremental });
    else search.findPrevious(value, options);
  };

  const summary = term === '' || !results ? '' : results.count === 0 ? 'No results' : results.index < 0 ? `${results.count}+ matches` : `${results.index + 1} of ${results.count}`;

  return (
    <div className="terminal-search" role="search" aria-label="Find in console">
      <SearchIcon size={15} className="terminal-search-icon" />
      <input
        ref={input}
        className="terminal-search-input"
        value={term}
        placeholder="Find"
        aria-label="Find in console"
        spellCheck={false}
        onChange={(e) => {
          setTerm(e.target.value);
          find('next', e.target.value, true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            find(e.shiftKey ? 'previous' : 'next');
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          }
        }}
      />
      <span className="terminal-search-count" aria-live="polite" data-testid="search-count">
        {summary}
      </span>
      <button type="button" className="icon-button" aria-label="Previous match (Shift+Enter)" title="Previous match (Shift+Enter)" onClick={() => find('previous')}>
        <ChevronUpIcon size={15} />
      </button>
      <button type="button" className="icon-button" aria-label="Next match (Enter)" title="Next match (Enter)" onClick={() => find('next')}>
        <ChevronDownIcon size={15} />
      </button>
      <button type="button" className="icon-button" aria-label="Close find (Esc)" title="Close (Esc)" onClick={onClose}>
        <CloseIcon size={15} />
      </button>
    </div>
  );
}
