import { AppError } from '@shop/errors';
import { INT32_MAX, PAGE_MAX, pageWindow } from './bounds';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('invalid_argument');
    return (error as AppError).message;
  }
  throw new Error('not refused');
}

describe('pageWindow', () => {
  it('reads unset (0) as the first page at the default size', () => {
    expect(pageWindow({ page: 0, limit: 0 }, { defaultLimit: 20 })).toEqual({ page: 1, limit: 20 });
    expect(pageWindow({ page: 3, limit: 50 }, { defaultLimit: 20 })).toEqual({ page: 3, limit: 50 });
  });

  it('refuses pages and sizes out of bounds, all problems at once', () => {
    expect(refusal(() => pageWindow({ page: INT32_MAX, limit: 1 }, { defaultLimit: 20 }))).toBe(`page must be a whole number from 1 to ${PAGE_MAX}`);
    expect(refusal(() => pageWindow({ page: -1, limit: 101 }, { defaultLimit: 20 }))).toBe(
      `page must be a whole number from 1 to ${PAGE_MAX}; limit must be a whole number from 1 to 100`,
    );
    expect(refusal(() => pageWindow({ page: 1.5, limit: 10 }, { defaultLimit: 20 }))).toMatch(/^page/);
    expect(refusal(() => pageWindow({ page: 10_001, limit: 10 }, { defaultLimit: 20, maxPage: 10_000 }))).toBe('page must be a whole number from 1 to 10000');
    expect(refusal(() => pageWindow({ page: 1, limit: 60 }, { defaultLimit: 20, maxLimit: 50 }))).toBe('limit must be a whole number from 1 to 50');
  });
});
