export interface AfterPackContext {
  electronPlatformName: string;
  arch: number;
  appOutDir: string;
  packager: { appInfo: { productFilename: string } };
}
export default function afterPack(context: AfterPackContext): Promise<void>;
export function requiredNodePtyFiles(platform: string, arch: string): string[];
export function missingNodePtyFiles(appOutDir: string, platform: string, arch: string, productFilename: string): string[];
