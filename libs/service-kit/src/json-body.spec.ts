import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from './json-body';

describe('jsonNestsDeeperThan', () => {
  it('counts arrays and objects as they nest, and only there', () => {
    expect(jsonNestsDeeperThan('{"variants":[{"price":{"amount":1}}]}', 4)).toBe(false);
    expect(jsonNestsDeeperThan('{"variants":[{"price":{"amount":[1]}}]}', 4)).toBe(true);
    expect(jsonNestsDeeperThan('[[],[],[],[]]', 1)).toBe(true);
    expect(jsonNestsDeeperThan('[[],[],[],[]]', 2)).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonNestsDeeperThan(`{"name":"${'[{'.repeat(100)}"}`, 1)).toBe(false);
    expect(jsonNestsDeeperThan(`{"name":"say \\"[[[[\\" twice"}`, 1)).toBe(false);
    expect(jsonNestsDeeperThan(`{"name":"ends in a backslash \\\\", "x":[[[]]]}`, 3)).toBe(true);
  });

  it('finds 20,000 nested arrays without parsing them', () => {
    expect(jsonNestsDeeperThan(`{"email":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, MAX_JSON_DEPTH)).toBe(true);
  });
});
