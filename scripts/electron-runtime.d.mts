export type ElectronLookup = { available: true; executable: string } | { available: false; reason: string };
export type StartPlan = { mode: 'electron'; executable: string } | { mode: 'headless'; reason: string };
export interface RuntimeOptions {
  root: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}
export function findElectron(options: RuntimeOptions): ElectronLookup;
export function displayProblem(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string | undefined;
export function startPlan(options: RuntimeOptions): StartPlan;
