import path from 'node:path';
import {
  credentialFail,
  credentialOk,
  isRecord,
  optionalString,
  readJsonFile,
  tildePath,
  type CredentialResult,
  type ImportedLogin,
} from './cli-credentials.js';

/**
 * GitHub Copilot editor plugins keep the GitHub OAuth token in `github-copilot/apps.json` under
 * the user config folder (`$XDG_CONFIG_HOME` or `~/.config`; `%LOCALAPPDATA%` on Windows):
 * `{ "github.com:<client_id>": { user, oauth_token, githubAppId } }`; older plugins used
 * `hosts.json` `{ "github.com": { user, oauth_token } }`. Copilot CLI (`@github/copilot`, per
 * GitHub's docs, not run here) takes a token from COPILOT_GITHUB_TOKEN, then GH_TOKEN, then
 * GITHUB_TOKEN, so an agent gets its token through the environment, not a file.
 */
export const COPILOT_APPS_FILE = 'apps.json';
export const COPILOT_HOSTS_FILE = 'hosts.json';

export interface CopilotLogin {
  readonly host: string;
  readonly clientId?: string;
  readonly user?: string;
  readonly token: string;
}

export interface CopilotPathOptions {
  readonly home: string;
  readonly platform?: NodeJS.Platform;
  readonly env?: NodeJS.ProcessEnv;
}

export function copilotConfigDir(options: CopilotPathOptions): string {
  const env = options.env ?? {};
  if ((options.platform ?? process.platform) === 'win32') {
    return path.join(env.LOCALAPPDATA ?? path.join(options.home, 'AppData', 'Local'), 'github-copilot');
  }
  return path.join(env.XDG_CONFIG_HOME ?? path.join(options.home, '.config'), 'github-copilot');
}

export function copilotAgentEnv(githubToken: string): Record<string, string> {
  return { COPILOT_GITHUB_TOKEN: githubToken };
}

/** Every login in apps.json (or hosts.json when there is no apps.json), read only. */
export function readCopilotLogins(options: CopilotPathOptions): CredentialResult<{ file: string; logins: CopilotLogin[] }> {
  const dir = copilotConfigDir(options);
  const appsFile = path.join(dir, COPILOT_APPS_FILE);
  let json = readJsonFile(appsFile, 'GitHub Copilot apps.json');
  let file = appsFile;
  if (!json.ok && json.error.code === 'not_found') {
    const hosts = readJsonFile(path.join(dir, COPILOT_HOSTS_FILE), 'GitHub Copilot hosts.json');
    // Report the modern file as missing unless the legacy one exists.
    if (hosts.ok || hosts.error.code !== 'not_found') {
      json = hosts;
      file = path.join(dir, COPILOT_HOSTS_FILE);
    }
  }
  if (!json.ok) return json;
  if (!isRecord(json.value)) return credentialFail('malformed', file, `${file} is not a JSON object.`);
  const logins: CopilotLogin[] = [];
  for (const [key, entry] of Object.entries(json.value)) {
    if (!isRecord(entry)) continue;
    const token = optionalString(entry.oauth_token);
    if (!token) continue;
    const [host = key, clientFromKey] = key.split(':');
    const clientId = optionalString(entry.githubAppId) ?? clientFromKey;
    const user = optionalString(entry.user);
    logins.push({ host, token, ...(clientId && { clientId }), ...(user && { user }) });
  }
  if (logins.length === 0) return credentialFail('malformed', file, `${file} holds no entry with an "oauth_token".`);
  return credentialOk({ file, logins });
}

/** Takes over the github.com login (the first one, when several apps signed in). */
export function importCopilotLogin(options: CopilotPathOptions): CredentialResult<ImportedLogin> {
  const read = readCopilotLogins(options);
  if (!read.ok) return read;
  const login = read.value.logins.find((l) => l.host === 'github.com') ?? read.value.logins[0]!;
  return credentialOk({
    provider: 'github-copilot',
    tokens: {
      accessToken: login.token,
      ...(login.user && { accountId: login.user }),
      profile: { host: login.host, ...(login.user && { user: login.user }), ...(login.clientId && { clientId: login.clientId }) },
    },
    source: `imported from ${tildePath(read.value.file, options.home)}`,
  });
}
