import type { ParsedCommandLine } from './command-line';

/** What the command line will run: the program, then each argument as its own word. */
export function ParsedCommandPreview({ parsed, id, label = 'Runs' }: { parsed: ParsedCommandLine; id: string; label?: string }) {
  if (!parsed.ok) return null;
  return (
    <div className="parsed-command" id={id} data-testid="parsed-command">
      <span className="parsed-label">{label}</span>
      <code className="parsed-word parsed-command-word">{parsed.command}</code>
      {parsed.args.length ? <span className="parsed-label">with</span> : <span className="parsed-label">with no arguments</span>}
      {parsed.args.map((arg, index) => (
        <code key={index} className="parsed-word" title={`argument ${index + 1}`}>
          {arg === '' ? '""' : arg}
        </code>
      ))}
    </div>
  );
}
