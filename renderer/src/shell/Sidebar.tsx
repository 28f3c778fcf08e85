import { IS_MAC, shortcutLabel } from '../hooks/useShortcuts';
import { hrefFor, navPageOf, type Route } from '../routes';
import type { AgentInfo } from '../../../preload/contract';
import { SearchIcon } from '../components/Icons';
import { AttentionList } from './AttentionList';
import { LogoMark } from './LogoMark';
import { NAV_ITEMS, type NavItem } from './navigation';

function NavLink({ item, current }: { item: NavItem; current: boolean }) {
  const shortcut = shortcutLabel(item.digit);
  return (
    <li>
      <a
        className="nav-link"
        href={hrefFor({ page: item.page })}
        aria-current={current ? 'page' : undefined}
        aria-keyshortcuts={`Control+${item.digit} Meta+${item.digit}`}
        title={`${item.label} (${shortcut})`}
      >
        <span className="nav-icon">{item.icon}</span>
        <span className="nav-label">{item.label}</span>
        <kbd className="nav-shortcut" aria-hidden="true">
          {shortcut}
        </kbd>
      </a>
    </li>
  );
}

/** The app's name and the pages. Settings sits apart at the bottom, as in most desktop tools. */
export function Sidebar({ route, onSearch, agents }: { route: Route; onSearch?: () => void; agents?: ReadonlyArray<AgentInfo> | undefined }) {
  const main = NAV_ITEMS.filter((item) => item.page !== 'settings');
  const settings = NAV_ITEMS.filter((item) => item.page === 'settings');
  return (
    <aside className="sidebar">
      <div className="brand">
        <LogoMark />
        <span className="brand-name">Agent Relay</span>
      </div>
      {onSearch ? (
        <button
          type="button"
          className="sidebar-search"
          onClick={onSearch}
          aria-label="Search all agents"
          title={`Search every agent's scrollback (${IS_MAC ? '⇧⌘F' : 'Ctrl+Shift+F'})`}
          aria-keyshortcuts="Control+Shift+F Meta+Shift+F"
          data-testid="open-search"
        >
          <SearchIcon size={14} />
          <span className="sidebar-search-label">Search…</span>
          <kbd className="nav-shortcut" aria-hidden="true">
            {IS_MAC ? '⇧⌘F' : 'Ctrl+Shift+F'}
          </kbd>
        </button>
      ) : null}
      <nav className="sidebar-nav" aria-label="Main">
        <ul className="nav-list">
          {main.map((item) => (
            <NavLink key={item.page} item={item} current={navPageOf(route) === item.page} />
          ))}
        </ul>
        <AttentionList agents={agents} />
        <ul className="nav-list nav-list-bottom">
          {settings.map((item) => (
            <NavLink key={item.page} item={item} current={navPageOf(route) === item.page} />
          ))}
        </ul>
      </nav>
    </aside>
  );
}
