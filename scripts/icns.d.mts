export declare const ICNS_PNG_TYPES: {
  readonly icp4: 16;
  readonly icp5: 32;
  readonly ic11: 32;
  readonly ic12: 64;
  readonly ic07: 128;
  readonly ic13: 256;
  readonly ic08: 256;
  readonly ic14: 512;
  readonly ic09: 512;
  readonly ic10: 1024;
};
export function writeIcns(entries: ReadonlyArray<{ type: string; data: Buffer }>): Buffer;
export function readIcns(file: Buffer): Array<{ type: string; data: Buffer }>;
