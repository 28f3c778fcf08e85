// One real process using the app's own modules on a shared data dir: bundled by the lock tests.
//   hold <file> <staleMs>            take the file lock, print "held", keep it until killed
//   vault-add <dataDir> <name>       add one account to the headless vault
//   settings <dataDir> <json patch> <times>  update settings, <times> times over
//   audit <dataDir> <tag> <count>    record <count> audit events
import { acquireFileLock } from '../../../main/core/base/file-lock.js';
import { createLogger } from '../../../main/core/logging/logger.js';
import { SettingsService } from '../../../main/core/settings/settings-service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { createAuditLog } from '../../../main/core/vault/audit-log.js';
import { openHeadlessVault } from '../../../main/core/vault/headless-vault.js';

const [command, ...args] = process.argv.slice(2);

async function main(): Promise<void> {
  switch (command) {
    case 'hold': {
      const [file, staleMs] = args as [string, string];
      await acquireFileLock(file, { staleMs: Number(staleMs), waitMs: 0 });
      process.stdout.write('held\n');
      setInterval(() => undefined, 60_000);
      return;
    }
    case 'vault-add': {
      const [dataDir, name] = args as [string, string];
      const { vault } = await openHeadlessVault(dataDir);
      await vault.upsert({ provider: 'test', name, method: 'import', secrets: { accessToken: `token-of-${name}` } });
      process.stdout.write('ok\n');
      return;
    }
    case 'settings': {
      const [dataDir, patch, times] = args as [string, string, string];
      const settings = new SettingsService(new JsonFileSettingsStore(dataDir), createLogger({ level: 'error' }));
      for (let i = 0; i < Number(times); i += 1) settings.update(JSON.parse(patch) as never);
      process.stdout.write('ok\n');
      return;
    }
    case 'audit': {
      const [dataDir, tag, count] = args as [string, string, string];
      const log = createAuditLog(dataDir);
      for (let i = 0; i < Number(count); i += 1) log.record({ action: 'import', account: `${tag}-${i}`, outcome: 'ok', detail: 'x'.repeat(5000) });
      process.stdout.write('ok\n');
      return;
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as { code?: string }).code ?? 'error'}: ${(error as Error).message}\n`);
  process.exit(1);
});
