/** What every command gets: the data dir and where to write, so tests can capture output. */
export interface CliContext {
  dataDir: string;
  /** --providers-config, when given. */
  providersConfig?: string;
  out(line: string): void;
  err(line: string): void;
}
