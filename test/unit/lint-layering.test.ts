import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering of ../shared/DESIGN.md is enforced by lint: these pin the rules down, both ways.
const eslint = new ESLint({ cwd: process.cwd() });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('core layering', () => {
  it('refuses a lower layer importing a higher one', async () => {
    const errors = await layeringErrors('main/core/relay/probe.ts', "import { AgentNetwork } from '../network/agent-network.js';\nexport const x = AgentNetwork;\n");
    expect(errors.join('\n')).toMatch(/main\/core\/relay may import only/);
  });

  it('refuses any core folder importing the composition root', async () => {
    const errors = await layeringErrors('main/core/providers/probe.ts', "import { createService } from '../service.js';\nexport const x = createService;\n");
    expect(errors.join('\n')).toMatch(/composition root/);
  });

  it('refuses base importing a domain folder', async () => {
    const errors = await layeringErrors('main/core/base/probe.ts', "import { BridgeError } from '../bridge/errors.js';\nexport const x = BridgeError;\n");
    expect(errors.join('\n')).toMatch(/main\/core\/base may import only no other core folder/);
  });

  it('refuses electron anywhere in the core', async () => {
    const errors = await layeringErrors('main/core/agents/probe.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(errors.join('\n')).toMatch(/plain Node/);
  });

  it('allows the imports a layer is given', async () => {
    const errors = await layeringErrors('main/core/network/probe.ts', "import { RelayHub } from '../relay/index.js';\nimport { writeFileAtomic } from '../base/atomic-file.js';\nexport const x = [RelayHub, writeFileAtomic];\n");
    expect(errors).toEqual([]);
  });

  it('lets the composition root use every layer', async () => {
    const errors = await layeringErrors('main/core/service.ts', "import { AgentNetwork } from './network/agent-network.js';\nexport const x = AgentNetwork;\n");
    expect(errors).toEqual([]);
  });
});
