import { Moderation } from './moderation';
import { reviewSort, reviewText, sortKeys } from './review-input';

describe('Moderation', () => {
  const moderation = new Moderation(['scam', 'Müll']);

  it('publishes plain text at once', () => {
    expect(moderation.judge('Great mug', 'Keeps tea hot. 10/10, would buy again.')).toEqual({ status: 'published' });
    expect(moderation.judge('', 'Scampi recipe inside: no, just a mug. e.g. it holds 0.5 l')).toEqual({ status: 'published' });
  });

  it('holds back links in any spelling', () => {
    for (const body of ['see https://example.com/x', 'go to www.cheap.biz', 'visit cheap-pills.shop now', 'HTTP://X.Y', 'ftp://files.example']) {
      expect(moderation.judge('', body)).toEqual({ status: 'pending', reason: 'contains a link' });
    }
  });

  it('holds back blocked words as whole words, any case, any script', () => {
    expect(moderation.judge('Total SCAM', 'x')).toEqual({ status: 'pending', reason: 'contains a blocked word' });
    expect(moderation.judge('', 'Das ist müll!')).toEqual({ status: 'pending', reason: 'contains a blocked word' });
    expect(moderation.judge('', 'Müllabfuhr')).toEqual({ status: 'published' });
    expect(new Moderation([]).judge('scam')).toEqual({ status: 'published' });
  });
});

describe('review input', () => {
  it('keeps text as written, trimmed and bounded', () => {
    expect(reviewText({ rating: 5, title: '  <b>Hi</b> ', body: ' a & b ' })).toEqual({ rating: 5, title: '<b>Hi</b>', body: 'a & b' });
    expect(() => reviewText({ rating: 0, title: '', body: 'x' })).toThrow(/rating/);
    expect(() => reviewText({ rating: 3.5, title: '', body: 'x' })).toThrow(/rating/);
    expect(() => reviewText({ rating: 3, title: '', body: '   ' })).toThrow(/body is required/);
    expect(() => reviewText({ rating: 3, title: 'x'.repeat(121), body: 'x' })).toThrow(/title must be at most 120/);
    expect(() => reviewText({ rating: 3, title: '', body: 'a\u0000b' })).toThrow(/control characters/);
  });

  it('sorts by one of four orders', () => {
    expect(reviewSort('')).toBe('newest');
    expect(sortKeys(reviewSort('helpful'))).toEqual({ helpfulCount: -1, createdAt: -1, _id: -1 });
    expect(() => reviewSort('random')).toThrow(/sort must be one of/);
  });
});
