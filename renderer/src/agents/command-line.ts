/** A command line split into words the way a POSIX shell would (quotes and backslashes, no expansion). */
export type ParsedCommandLine =
  | { readonly ok: true; readonly command: string; readonly args: ReadonlyArray<string> }
  | { readonly ok: false; readonly error: string };

/** Words as a POSIX shell would split them (quotes and backslashes, no expansion). */
export type ShellWords = { readonly ok: true; readonly words: ReadonlyArray<string> } | { readonly ok: false; readonly error: string };

export function splitShellWords(line: string): ShellWords {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      // Inside double quotes a backslash escapes only what a shell lets it escape.
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += line[++i];
      else word += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\') {
      if (i + 1 < line.length) word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) return { ok: false, error: `Close the ${quote === '"' ? 'double' : 'single'} quote.` };
  if (inWord) words.push(word);
  return { ok: true, words };
}

export function parseCommandLine(line: string): ParsedCommandLine {
  const split = splitShellWords(line);
  if (!split.ok) return split;
  const [command, ...args] = split.words;
  if (command === undefined || command === '') return { ok: false, error: 'Enter a command to run.' };
  return { ok: true, command, args };
}

/** A word as the user could type it back: quoted only when it needs to be. */
export function quoteWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
