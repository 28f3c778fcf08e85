// Every logo under assets/providers, as a URL Vite puts in the build (the registry names the file).
const LOGOS: Readonly<Record<string, string>> = import.meta.glob<string>('../../../assets/providers/*.svg', {
  query: '?url',
  import: 'default',
  eager: true,
});

const byFile = new Map(Object.entries(LOGOS).map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1), url]));

/** The logo for a registry `logo` name; custom providers without a drawing get the generic key. */
export function providerLogoUrl(logo: string): string | undefined {
  return byFile.get(logo) ?? byFile.get('custom.svg');
}
