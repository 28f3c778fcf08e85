declare const __CLOUD_VERSION__: string | undefined;

/** Set by the build from cloud/package.json; "0.0.0-dev" when run from source. */
export const VERSION: string = typeof __CLOUD_VERSION__ === 'string' ? __CLOUD_VERSION__ : '0.0.0-dev';
