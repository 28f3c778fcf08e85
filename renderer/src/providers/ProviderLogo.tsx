import { providerLogoUrl } from './provider-logos';

/** The provider's mark (decorative: the name is always next to it). */
export function ProviderLogo({ logo, size = 40 }: { logo: string; size?: number }) {
  const url = providerLogoUrl(logo);
  if (!url) return <span className="provider-logo provider-logo-missing" style={{ width: size, height: size }} aria-hidden="true" />;
  return <img className="provider-logo" src={url} width={size} height={size} alt="" draggable={false} />;
}
