// Bearer tokens are HS256 JWTs signed and verified by `jose`: no hand-rolled token cryptography.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { IssuedToken, TokenSigner, VerifiedToken } from '../../ports/TokenSigner.js';
import { VerifiedTokenCache } from './VerifiedTokenCache.js';

const ISSUER = 'messaging-api';
const AUDIENCE = 'messaging-api';
/** HS256 wants a key at least as long as its hash: 32 bytes. */
export const MIN_SECRET_BYTES = 32;

export class JoseTokenSigner implements TokenSigner {
  // A KeyObject, made once: jose converts it to a CryptoKey once and keeps that (a WeakMap by key
  // object), where raw bytes made it import the key again on every sign and verify.
  private readonly key: KeyObject;

  constructor(
    secret: Uint8Array,
    private readonly ttlSeconds: number,
    private readonly verified: VerifiedTokenCache = new VerifiedTokenCache(),
  ) {
    if (secret.length < MIN_SECRET_BYTES) throw new Error(`The token secret must be at least ${MIN_SECRET_BYTES} bytes`);
    this.key = createSecretKey(secret);
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

  async verify(token: string, now: number): Promise<VerifiedToken | undefined> {
    const remembered = this.verified.lookUp(token, now);
    if (remembered !== undefined) return remembered;
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(now),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      if (typeof payload.sub !== 'string' || payload.sub === '') return undefined;
      // requiredClaims made jose check that exp is a number, and that it is still ahead of now.
      const verified = { userId: payload.sub, expiresAt: payload.exp! * 1000 };
      this.verified.remember(token, verified.userId, verified.expiresAt);
      return verified;
    } catch {
      return undefined;
    }
  }
}
