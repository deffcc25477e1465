import { AccessRevocations, isRevokedBy, issuedAtFor, nextNotBefore } from './access-revocations';

const at = (iso: string) => Date.parse(iso);
const seconds = (iso: string) => at(iso) / 1000;

describe('access cutoffs', () => {
  it('moves past the second of the change, and past the previous cutoff', () => {
    expect(nextNotBefore(at('2026-12-01T10:00:00.400Z'))).toBe(at('2026-12-01T10:00:01.000Z'));
    expect(nextNotBefore(at('2026-12-01T10:00:00.000Z'))).toBe(at('2026-12-01T10:00:01.000Z'));
    // A second change within the same second still moves it: a token issued in between carries the first cutoff.
    expect(nextNotBefore(at('2026-12-01T10:00:00.700Z'), at('2026-12-01T10:00:01.000Z'))).toBe(at('2026-12-01T10:00:02.000Z'));
    expect(nextNotBefore(at('2026-12-01T10:05:00.000Z'), at('2026-12-01T10:00:01.000Z'))).toBe(at('2026-12-01T10:05:01.000Z'));
  });

  it('dates a token no earlier than the cutoff it was issued under', () => {
    expect(issuedAtFor(at('2026-12-01T10:00:00.900Z'))).toBe(seconds('2026-12-01T10:00:00Z'));
    expect(issuedAtFor(at('2026-12-01T10:00:00.900Z'), at('2026-12-01T10:00:01.000Z'))).toBe(seconds('2026-12-01T10:00:01Z'));
    expect(issuedAtFor(at('2026-12-01T10:00:05.100Z'), at('2026-12-01T10:00:01.000Z'))).toBe(seconds('2026-12-01T10:00:05Z'));
  });

  it('refuses every token whose access was read before a change, and none read after it', () => {
    // Reads and changes a few milliseconds apart around second boundaries, one after another.
    let cutoff: number | undefined;
    let now = at('2026-12-01T10:00:00.990Z');
    for (let step = 0; step < 200; step += 1) {
      const before = issuedAtFor(now, cutoff);
      now += 3;
      cutoff = nextNotBefore(now, cutoff);
      now += 3;
      const after = issuedAtFor(now, cutoff);
      expect(isRevokedBy(before, cutoff)).toBe(true);
      expect(isRevokedBy(after, cutoff)).toBe(false);
    }
  });
});

describe('AccessRevocations', () => {
  let now: number;
  const revocations = () => new AccessRevocations(() => now);
  const token = (id: string, iso: string) => ({ id, issuedAt: seconds(iso) });

  beforeEach(() => {
    now = at('2026-12-01T10:00:00Z');
  });

  it('knows nothing until loaded, except what events already said', () => {
    const map = revocations();
    expect(map.verdict(token('ada', '2026-12-01T09:59:00Z'))).toBe('unknown');
    map.revoke('ada', at('2026-12-01T09:59:30Z'));
    expect(map.verdict(token('ada', '2026-12-01T09:59:00Z'))).toBe('revoked');
    map.load([], 900);
    expect(map.verdict(token('grace', '2026-12-01T09:59:00Z'))).toBe('accepted');
  });

  it('refuses tokens issued before the cutoff and takes those issued at or after it', () => {
    const map = revocations();
    map.load([{ userId: 'ada', notBeforeMs: at('2026-12-01T09:58:00Z') }], 900);
    expect(map.verdict(token('ada', '2026-12-01T09:57:59Z'))).toBe('revoked');
    expect(map.verdict(token('ada', '2026-12-01T09:58:00Z'))).toBe('accepted');
    expect(map.verdict(token('grace', '2026-12-01T09:50:00Z'))).toBe('accepted');
  });

  it('keeps the latest cutoff whatever order the load and the events come in', () => {
    const map = revocations();
    map.revoke('ada', at('2026-12-01T09:59:00Z'));
    map.load([{ userId: 'ada', notBeforeMs: at('2026-12-01T09:58:00Z') }], 900);
    map.revoke('ada', at('2026-12-01T09:57:00Z'));
    expect(map.verdict(token('ada', '2026-12-01T09:58:30Z'))).toBe('revoked');
  });

  it('forgets a cutoff once every token it refuses has expired', () => {
    const map = revocations();
    map.load([{ userId: 'ada', notBeforeMs: at('2026-12-01T09:59:00Z') }], 900);
    now = at('2026-12-01T10:14:00Z');
    map.forgetExpired();
    expect(map.size).toBe(1);
    // 900 s of token lifetime and a minute of margin after the cutoff.
    now = at('2026-12-01T10:15:00Z');
    map.forgetExpired();
    expect(map.size).toBe(0);
    // An event about a cutoff that old changes nothing either.
    map.revoke('grace', at('2026-12-01T09:58:00Z'));
    expect(map.size).toBe(0);
  });
});
