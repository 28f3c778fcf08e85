declare function afterPack(context: {
  electronPlatformName: string;
  arch: number;
  appOutDir: string;
  packager: { appInfo: { productFilename: string } };
}): Promise<void>;
declare namespace afterPack {
  export { afterPack as default };
  export function requiredNodePtyFiles(platform: string, arch: string): string[];
  export function missingNodePtyFiles(appOutDir: string, platform: string, arch: string, productFilename: string): string[];
}
export = afterPack;
