import type { SearchResult } from '../../../preload/contract.js';
import type { CliContext } from '../cli-context.js';
import { connectToDaemon } from '../daemon-connection.js';

export interface SearchOptions {
  agent?: string;
  regex?: boolean;
  caseSensitive?: boolean;
  context?: number;
  json: boolean;
}

/** `search TEXT`: hits in every agent's scrollback, grouped by agent, with the lines around them. */
export async function searchAgents(ctx: CliContext, text: string, options: SearchOptions): Promise<number> {
  const { client } = await connectToDaemon(ctx.dataDir);
  let result: SearchResult;
  try {
    result = await client.call('agents.search', {
      text,
      ...(options.agent ? { agent: options.agent } : {}),
      ...(options.regex ? { regex: true } : {}),
      ...(options.caseSensitive ? { caseSensitive: true } : {}),
      ...(options.context !== undefined ? { context: options.context } : {}),
    });
  } finally {
    client.close();
  }
  if (options.json) {
    ctx.out(JSON.stringify(result));
    return result.hits.length ? 0 : 1;
  }
  if (result.hits.length === 0) {
    ctx.out(`No match in ${result.lines.toLocaleString('en-US')} lines${options.agent ? ` of ${options.agent}` : ''}.`);
    return 1;
  }
  let agent = '';
  for (const hit of result.hits) {
    if (hit.agent !== agent) {
      agent = hit.agent;
      const count = result.hits.filter((h) => h.agent === agent).length;
      ctx.out(`${agent} (${count} ${count === 1 ? 'hit' : 'hits'})`);
    }
    const first = hit.line + 1 - hit.before.length;
    hit.before.forEach((line, i) => ctx.out(`  ${String(first + i).padStart(7)}- ${line}`));
    ctx.out(`  ${String(hit.line + 1).padStart(7)}: ${hit.text}`);
    hit.after.forEach((line, i) => ctx.out(`  ${String(hit.line + 2 + i).padStart(7)}- ${line}`));
    ctx.out('  --');
  }
  ctx.out(`${result.hits.length}${result.truncated ? '+' : ''} hits in ${result.lines.toLocaleString('en-US')} lines (${result.tookMs} ms).`);
  return 0;
}
