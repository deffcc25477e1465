import { sqlOf } from './sql-database';

const tagged = (strings: TemplateStringsArray, ...values: unknown[]) => sqlOf(strings, values);

describe('sqlOf', () => {
  it('numbers each value as a parameter, in order', () => {
    expect(tagged`SELECT * FROM t WHERE a = ${1} AND b = ANY(${['x', 'y']}::text[]) LIMIT ${5}`).toEqual({
      text: 'SELECT * FROM t WHERE a = $1 AND b = ANY($2::text[]) LIMIT $3',
      values: [1, ['x', 'y'], 5],
    });
  });

  it('leaves a statement without values as it is', () => {
    expect(tagged`SELECT 1`).toEqual({ text: 'SELECT 1', values: [] });
  });

  it('never puts a value into the text, whatever it holds', () => {
    const hostile = "'; DROP TABLE t; --";
    const { text, values } = tagged`SELECT ${hostile}`;
    expect(text).toBe('SELECT $1');
    expect(values).toEqual([hostile]);
  });
});
