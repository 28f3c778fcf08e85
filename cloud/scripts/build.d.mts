export function buildCloud(options?: { logLevel?: 'silent' | 'error' | 'warning' | 'info' }): Promise<void>;
