import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { TokenIdentity, TokenVerifier } from './token-verifier.js';

/** Signature algorithms an issuer's public keys may use (no shared-secret HS*: the keys come from a JWKS). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
/** Seconds of clock difference tolerated between this server and the issuer. */
const CLOCK_TOLERANCE = 5;
const JWKS_MAX_AGE_MS = 10 * 60_000;
/** A key we do not know may be a rotation: fetch again, but not more often than this. */
const JWKS_REFETCH_GAP_MS = 30_000;
const FETCH_TIMEOUT_MS = 10_000;

export class IssuerDiscoveryError extends Error {
  readonly code = 'issuer_discovery_failed';
}

/**
 * Trusts an external OpenID Connect issuer (a company's SSO): verifies its JWT access tokens
 * (RFC 9068, `typ: at+jwt`) against the keys its discovery document names, and checks issuer,
 * expiry and audience. jose does the JOSE part; this class only wires discovery to it.
 */
export class ExternalIssuerVerifier implements TokenVerifier {
  private keys: (JWTVerifyGetKey & { reload(): Promise<void> }) | undefined;

  constructor(
    readonly issuer: string,
    private readonly audience?: string,
  ) {}

  /** Reads discovery and the JWKS once at start, so a wrong issuer URL fails loudly. */
  async start(): Promise<void> {
    const url = `${this.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let discovery: Record<string, unknown>;
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      discovery = (await response.json()) as Record<string, unknown>;
    } catch (error) {
      throw new IssuerDiscoveryError(`Could not read the issuer's discovery document at ${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (discovery.issuer !== this.issuer) {
      throw new IssuerDiscoveryError(`The discovery document at ${url} names the issuer ${String(discovery.issuer)}, not ${this.issuer}.`);
    }
    if (typeof discovery.jwks_uri !== 'string') throw new IssuerDiscoveryError(`The discovery document at ${url} has no jwks_uri.`);
    const jwksUri = discovery.jwks_uri;
    const keys = createRemoteJWKSet(new URL(jwksUri), {
      timeoutDuration: FETCH_TIMEOUT_MS,
      cooldownDuration: JWKS_REFETCH_GAP_MS,
      cacheMaxAge: JWKS_MAX_AGE_MS,
    });
    try {
      await keys.reload();
    } catch (error) {
      throw new IssuerDiscoveryError(`Could not read the issuer's keys at ${jwksUri}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.keys = keys;
  }

  async verify(accessToken: string): Promise<TokenIdentity | undefined> {
    if (!this.keys) return undefined;
    try {
      const { payload } = await jwtVerify(accessToken, this.keys, {
        issuer: this.issuer,
        typ: 'at+jwt',
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE,
        requiredClaims: ['exp', 'sub'],
        ...(this.audience !== undefined ? { audience: this.audience } : {}),
      });
      if (typeof payload.sub !== 'string' || payload.sub === '') return undefined;
      return { subject: payload.sub };
    } catch {
      // Bad signature, unknown key, wrong type, issuer or audience, expired: all the same to the caller.
      return undefined;
    }
  }
}
