import { createPublicKey, verify as verifySignature, constants, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { TokenIdentity, TokenVerifier } from './token-verifier.js';

interface Jwk extends JsonWebKey {
  kid?: string;
  use?: string;
  alg?: string;
}

const ALGORITHMS: Record<string, { hash: string; kind: 'rsa' | 'pss' | 'ec' | 'eddsa' }> = {
  RS256: { hash: 'sha256', kind: 'rsa' },
  RS384: { hash: 'sha384', kind: 'rsa' },
  RS512: { hash: 'sha512', kind: 'rsa' },
  PS256: { hash: 'sha256', kind: 'pss' },
  PS384: { hash: 'sha384', kind: 'pss' },
  PS512: { hash: 'sha512', kind: 'pss' },
  ES256: { hash: 'sha256', kind: 'ec' },
  ES384: { hash: 'sha384', kind: 'ec' },
  ES512: { hash: 'sha512', kind: 'ec' },
  EdDSA: { hash: '', kind: 'eddsa' },
};

/** Seconds of clock difference tolerated between this server and the issuer. */
const CLOCK_TOLERANCE = 5;
const JWKS_MAX_AGE_MS = 10 * 60_000;
const JWKS_REFETCH_GAP_MS = 30_000;

export class IssuerDiscoveryError extends Error {
  readonly code = 'issuer_discovery_failed';
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Trusts an external OpenID Connect issuer (a company's SSO): verifies its JWT access tokens
 * (RFC 9068) against the keys its discovery document names, and checks issuer, expiry and audience.
 */
export class ExternalIssuerVerifier implements TokenVerifier {
  private keys: Jwk[] = [];
  private fetchedAt = 0;
  private jwksUri: string | undefined;

  constructor(
    readonly issuer: string,
    private readonly audience?: string,
  ) {}

  /** Reads discovery and the JWKS once at start, so a wrong issuer URL fails loudly. */
  async start(): Promise<void> {
    const url = `${this.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let discovery: Record<string, unknown>;
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      discovery = (await response.json()) as Record<string, unknown>;
    } catch (error) {
      throw new IssuerDiscoveryError(`Could not read the issuer's discovery document at ${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (discovery.issuer !== this.issuer) {
      throw new IssuerDiscoveryError(`The discovery document at ${url} names the issuer ${String(discovery.issuer)}, not ${this.issuer}.`);
    }
    if (typeof discovery.jwks_uri !== 'string') throw new IssuerDiscoveryError(`The discovery document at ${url} has no jwks_uri.`);
    this.jwksUri = discovery.jwks_uri;
    await this.fetchKeys();
  }

  private async fetchKeys(): Promise<void> {
    if (!this.jwksUri) return;
    const response = await fetch(this.jwksUri, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new IssuerDiscoveryError(`Could not read the issuer's keys at ${this.jwksUri}: HTTP ${response.status}`);
    const body = (await response.json()) as { keys?: unknown };
    this.keys = Array.isArray(body.keys) ? (body.keys as Jwk[]) : [];
    this.fetchedAt = Date.now();
  }

  private async keyFor(kid: string | undefined, alg: string): Promise<KeyObject | undefined> {
    const pick = () => this.keys.find((k) => (kid === undefined || k.kid === kid) && (k.use === undefined || k.use === 'sig') && (k.alg === undefined || k.alg === alg));
    let jwk = Date.now() - this.fetchedAt < JWKS_MAX_AGE_MS ? pick() : undefined;
    // A key we do not know may be a rotation: fetch again, but not more often than every 30 s.
    if (!jwk && Date.now() - this.fetchedAt > JWKS_REFETCH_GAP_MS) {
      await this.fetchKeys().catch(() => undefined);
      jwk = pick();
    }
    if (!jwk) return undefined;
    try {
      return createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      return undefined;
    }
  }

  async verify(accessToken: string): Promise<TokenIdentity | undefined> {
    const parts = accessToken.split('.');
    if (parts.length !== 3) return undefined;
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    const header = decodeJson(headerPart);
    const payload = decodeJson(payloadPart);
    if (!header || !payload || typeof header.alg !== 'string') return undefined;
    const algorithm = ALGORITHMS[header.alg];
    if (!algorithm) return undefined;
    const key = await this.keyFor(typeof header.kid === 'string' ? header.kid : undefined, header.alg);
    if (!key) return undefined;
    const data = Buffer.from(`${headerPart}.${payloadPart}`);
    const signature = Buffer.from(signaturePart, 'base64url');
    let valid: boolean;
    try {
      switch (algorithm.kind) {
        case 'rsa':
          valid = verifySignature(algorithm.hash, data, key, signature);
          break;
        case 'pss':
          valid = verifySignature(algorithm.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
          break;
        case 'ec':
          valid = verifySignature(algorithm.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
          break;
        case 'eddsa':
          valid = verifySignature(null, data, key, signature);
          break;
      }
    } catch {
      return undefined;
    }
    if (!valid) return undefined;
    const now = Math.floor(Date.now() / 1000);
    if (payload.iss !== this.issuer) return undefined;
    if (typeof payload.exp !== 'number' || payload.exp <= now - CLOCK_TOLERANCE) return undefined;
    if (typeof payload.nbf === 'number' && payload.nbf > now + CLOCK_TOLERANCE) return undefined;
    if (typeof payload.sub !== 'string' || payload.sub === '') return undefined;
    if (this.audience !== undefined) {
      const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!aud.includes(this.audience)) return undefined;
    }
    return { subject: payload.sub };
  }
}
