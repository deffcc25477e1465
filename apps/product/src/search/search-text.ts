/**
 * Text folding and word splitting shared by both engines, for documents and queries alike, so that
 * "Café" and "cafe" meet and both engines see the same words in a query.
 *
 * Folding happens here rather than in an Elasticsearch analyzer: the asciifolding and edge-ngram
 * filters live in Elasticsearch's analysis-common module, which not every distribution ships (the
 * integ-test-zip the tests run on has none), whereas this works against any cluster.
 */

// Letters that Unicode does not decompose into a base letter and a mark; Postgres's unaccent
// and Elasticsearch's asciifolding map them the same way.
const UNDECOMPOSED: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/** Most words a query is searched by; the rest are ignored. */
export const MAX_QUERY_WORDS = 10;

/** Lower case, without diacritics: "Crème Brûlée" becomes "creme brulee". */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => UNDECOMPOSED[letter]!);
}

/** The folded words of a text: runs of letters and digits; everything else separates words. */
export function foldedWords(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The distinct words a query is searched by, in the order typed. */
export function queryWords(q: string | undefined): string[] {
  return [...new Set(foldedWords(q ?? ''))].slice(0, MAX_QUERY_WORDS);
}
