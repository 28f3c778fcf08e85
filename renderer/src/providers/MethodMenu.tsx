import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { ChevronIcon } from '../components/Icons';

export interface MenuChoice {
  readonly key: string;
  readonly label: string;
  readonly hint?: string;
  readonly run: () => void;
}

/**
 * "Other ways to sign in": a menu button (arrow keys move, Esc closes and returns focus, a click
 * outside closes), the WAI-ARIA menu button pattern.
 */
export function MethodMenu({ label, choices, disabled }: { label: string; choices: ReadonlyArray<MenuChoice>; disabled?: boolean }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const items = useRef<Array<HTMLButtonElement | null>>([]);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    items.current[0]?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const list = items.current.filter((el): el is HTMLButtonElement => el !== null);
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => {
      event.preventDefault();
      list[(to + list.length) % list.length]?.focus();
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(index + 1);
      case 'ArrowUp':
        return move(index - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(list.length - 1);
      case 'Escape':
        // Inside a dialog, Esc closes only the menu.
        event.preventDefault();
        event.stopPropagation();
        return close(true);
      case 'Tab':
        return close(false);
      default:
        return undefined;
    }
  };

  if (choices.length === 0) return null;
  return (
    <div className="method-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="button button-secondary"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={disabled}
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        {label}
        <ChevronIcon size={14} className={open ? 'chevron-open' : undefined} />
      </button>
      {open ? (
        <div id={menuId} role="menu" aria-label={label} className="method-menu-list" onKeyDown={onMenuKey}>
          {choices.map((choice, index) => (
            <button
              key={choice.key}
              ref={(el) => {
                items.current[index] = el;
              }}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="method-menu-item"
              onClick={() => {
                close(false);
                choice.run();
              }}
            >
              <span className="method-menu-label">{choice.label}</span>
              {choice.hint ? <span className="method-menu-hint">{choice.hint}</span> : null}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
