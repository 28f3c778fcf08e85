import { createLogger, type Logger } from '../../main/core/logging/logger.js';

/** A real logger whose console lines are captured instead of printed. */
export function captureLogger(dir?: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ dir, level: 'debug', consoleLevel: 'debug', console: (line) => lines.push(line) });
  return { logger, lines };
}
