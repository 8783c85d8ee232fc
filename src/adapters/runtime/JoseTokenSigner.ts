// Bearer tokens are HS256 JWTs signed and verified by `jose`: no hand-rolled token cryptography.
import { SignJWT, jwtVerify } from 'jose';
import type { IssuedToken, TokenSigner } from '../../ports/TokenSigner.js';

const ISSUER = 'messaging-api';
const AUDIENCE = 'messaging-api';
/** HS256 wants a key at least as long as its hash: 32 bytes. */
export const MIN_SECRET_BYTES = 32;

export class JoseTokenSigner implements TokenSigner {
  private readonly key: Uint8Array;

  constructor(
    secret: Uint8Array,
    private readonly ttlSeconds: number,
  ) {
    if (secret.length < MIN_SECRET_BYTES) throw new Error(`The token secret must be at least ${MIN_SECRET_BYTES} bytes`);
    this.key = secret;
  }

  async issue(userId: string, now: number): Promise<IssuedToken> {
    const issuedAt = Math.floor(now / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.key);
    return { token, expiresAt: expiresAt * 1000 };
  }

  async verify(token: string, now: number): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(now),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      return typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : undefined;
    } catch {
      return undefined;
    }
  }
}
