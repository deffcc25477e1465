import { isUuid } from './uuid';

describe('isUuid', () => {
  it('takes the canonical text form in any case', () => {
    expect(isUuid('0b7c3f2e-9a41-4d1e-8c55-2f6a1b3c4d5e')).toBe(true);
    expect(isUuid('0B7C3F2E-9A41-4D1E-8C55-2F6A1B3C4D5E')).toBe(true);
  });

  it('refuses anything else, including forms Postgres would parse but we never produce', () => {
    for (const value of ['', 'mugs', '0b7c3f2e9a414d1e8c552f6a1b3c4d5e', '{0b7c3f2e-9a41-4d1e-8c55-2f6a1b3c4d5e}', ' 0b7c3f2e-9a41-4d1e-8c55-2f6a1b3c4d5e', '0b7c3f2e-9a41-4d1e-8c55-2f6a1b3c4d5e\n', '0b7c3f2e-9a41-4d1e-8c55-2f6a1b3c4d5g'])
      expect(isUuid(value)).toBe(false);
  });
});
