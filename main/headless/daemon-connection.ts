import { processAlive, readDaemonFile, type DaemonInfo } from '../core/transport/daemon-file.js';
import { connectClient, type NodeClient } from '../core/transport/client.js';

export class NoDaemonError extends Error {
  readonly code = 'no_daemon';
  constructor(dataDir: string) {
    super(`No daemon is running for ${dataDir}; start it with \`agent-relay-desktop up\` (or open the Agent Relay app).`);
  }
}

/**
 * Reaches the running app (Electron or headless) through the address and token it left in the data
 * dir. A stale daemon.json (its process gone) counts as no daemon.
 */
export async function connectToDaemon(dataDir: string): Promise<{ client: NodeClient; daemon: DaemonInfo }> {
  const daemon = readDaemonFile(dataDir);
  if (!daemon || !processAlive(daemon.pid)) throw new NoDaemonError(dataDir);
  try {
    return { client: await connectClient(daemon.url, daemon.token), daemon };
  } catch (error) {
    if ((error as { code?: string }).code === 'disconnected') throw new NoDaemonError(dataDir);
    throw error;
  }
}
