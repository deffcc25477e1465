import { isSealed, KeyVault } from './key-vault';

const JWK = { kty: 'RSA', n: 'modulus', e: 'AQAB', d: 'private-exponent', kid: 'k1', alg: 'RS256' };
const SECRET = 'a-secret-of-at-least-thirty-two-characters';

describe('KeyVault', () => {
  it('seals a private key so the stored form holds none of it, and opens it again', () => {
    const vault = new KeyVault(SECRET);
    const sealed = vault.seal('k1', JWK);
    expect(isSealed(sealed)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain('private-exponent');
    expect(vault.open('k1', sealed)).toEqual(JWK);
    // A fresh IV each time: the same key never seals to the same bytes.
    expect(vault.seal('k1', JWK)).not.toEqual(sealed);
  });

  it('refuses another secret, another kid and tampered bytes', () => {
    const sealed = new KeyVault(SECRET).seal('k1', JWK) as { data: string };
    expect(() => new KeyVault(`${SECRET}!`).open('k1', sealed)).toThrow(/sealed with another secret/);
    expect(() => new KeyVault(SECRET).open('k2', sealed)).toThrow(/does not open/);
    const flipped = Buffer.from(sealed.data, 'base64url');
    flipped[0]! ^= 1;
    expect(() => new KeyVault(SECRET).open('k1', { ...sealed, data: flipped.toString('base64url') })).toThrow(/does not open/);
  });

  it('stores keys as they are without a secret, and says which variable a sealed key needs', () => {
    const plain = new KeyVault(undefined);
    expect(plain.sealing).toBe(false);
    expect(plain.seal('k1', JWK)).toEqual(JWK);
    expect(plain.open('k1', JWK)).toEqual(JWK);
    expect(() => plain.open('k1', new KeyVault(SECRET).seal('k1', JWK))).toThrow(/set SIGNING_KEY_ENCRYPTION_KEY/);
  });
});
