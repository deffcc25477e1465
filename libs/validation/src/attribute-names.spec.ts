import { attributeNameProblem } from './attribute-names';

describe('attributeNameProblem', () => {
  it('takes short lower-case words', () => {
    for (const name of ['colour', 'size', 'fit_type', 'heel-height', 'x1']) expect(attributeNameProblem(name)).toBeUndefined();
  });

  it('refuses names a plain object already answers to', () => {
    expect(attributeNameProblem('constructor')).toBe('"constructor" is a reserved name, not an attribute name');
    expect(attributeNameProblem('prototype')).toMatch(/reserved/);
    expect(attributeNameProblem('__proto__')).toMatch(/lower-case word/);
  });

  it('refuses anything else that is not a short lower-case word', () => {
    for (const name of ['', 'Colour', '1st', 'a b', 'x'.repeat(41)]) expect(attributeNameProblem(name)).toMatch(/lower-case word/);
  });
});
