/** Who an API request is from, as proven by its bearer access token. */
export interface TokenIdentity {
  /** The OpenID subject: every piece of sync data is keyed by it. */
  readonly subject: string;
  /** The built-in issuer's grant behind the token (revoked with a device), if known. */
  readonly grantId?: string;
}

export interface TokenVerifier {
  /** The identity, or undefined for a token that is unknown, expired, revoked or from another issuer. */
  verify(accessToken: string): Promise<TokenIdentity | undefined>;
}
