/** Why a review waits for a moderator, or undefined when it can be published at once. */
export type ModerationVerdict = { status: 'published' } | { status: 'pending'; reason: string };

// http(s)://…, www.…, or a bare host name with a common top-level domain ("cheap-pills.shop/x").
const LINK = /(?:\b[a-z][a-z0-9+.-]*:\/\/\S+)|(?:\bwww\.\S+)|(?:\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|io|co|shop|store|xyz|top|online|site|ru|cn|de|fr|es|uk|eu|ly|me|app|link|click)\b(?:\/\S*)?)/i;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Decides whether a review can be published as written: one with a link, or with a word from the
 * block list (whole words, any case, letters of any script), waits as `pending` for a moderator.
 */
export class Moderation {
  private readonly blocked?: RegExp;

  constructor(blockedWords: string[]) {
    const words = blockedWords.map((word) => word.trim()).filter(Boolean);
    if (words.length > 0) this.blocked = new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'iu');
  }

  judge(...texts: string[]): ModerationVerdict {
    const all = texts.join('\n');
    if (LINK.test(all)) return { status: 'pending', reason: 'contains a link' };
    if (this.blocked?.test(all)) return { status: 'pending', reason: 'contains a blocked word' };
    return { status: 'published' };
  }
}
