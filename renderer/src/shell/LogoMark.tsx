/** The app's mark: two agents joined by a relay arrow, on the accent tile. */
export function LogoMark({ size = 28 }: { size?: number }) {
  return (
    <svg className="logo-mark" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id="logo-tile" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#7c7cf5" />
          <stop offset="1" stopColor="#4f46e5" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="8" fill="url(#logo-tile)" />
      <path d="M9.5 17.5C10.5 10.5 21.5 10.5 22.5 16.5" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" />
      <path d="M19.6 15.4 22.6 17.4 24.6 14.4" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
      <circle cx="9.5" cy="21.5" r="3.2" fill="#fff" />
      <circle cx="22.5" cy="21.5" r="3.2" fill="#fff" fillOpacity="0.8" />
    </svg>
  );
}
