import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface Segment<T extends string> {
  readonly value: T;
  readonly label: string;
  readonly icon?: ReactNode;
}

/** A radio group drawn as joined buttons; arrow keys move the choice, as in native radio groups. */
export function SegmentedControl<T extends string>({
  label,
  value,
  segments,
  onChange,
  describedBy,
}: {
  label: string;
  value: T | undefined;
  segments: ReadonlyArray<Segment<T>>;
  onChange: (value: T) => void;
  describedBy?: string;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = (index + step + segments.length) % segments.length;
    refs.current[next]?.focus();
    onChange(segments[next]!.value);
  };
  const selectedIndex = Math.max(0, segments.findIndex((s) => s.value === value));
  return (
    <div className="segmented" role="radiogroup" aria-label={label} aria-describedby={describedBy}>
      {segments.map((segment, index) => (
        <button
          key={segment.value}
          ref={(el) => {
            refs.current[index] = el;
          }}
          type="button"
          role="radio"
          aria-checked={segment.value === value}
          tabIndex={index === selectedIndex ? 0 : -1}
          className="segmented-option"
          onClick={() => onChange(segment.value)}
          onKeyDown={(event) => onKeyDown(event, index)}
        >
          {segment.icon}
          <span>{segment.label}</span>
        </button>
      ))}
    </div>
  );
}
