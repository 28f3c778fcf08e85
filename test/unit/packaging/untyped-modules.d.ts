// Types for the two untyped packages the packaging tests read files with (both installed as
// dependencies of electron-builder and png-to-ico; no @types package is installed for them).
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
declare module 'pngjs' {
  export const PNG: {
    sync: { read(data: Buffer): { width: number; height: number; data: Buffer } };
  };
}
