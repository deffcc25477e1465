/** How a search document is laid out in an Elasticsearch index. */
import type { estypes } from '@elastic/elasticsearch';
import type { SearchDocument } from './search-backend';
import { foldedWords } from './search-text';
import { type Locale, SUPPORTED_LOCALES } from '../i18n/locales';

/** What the index holds per product: the document for filters, facets and hits, plus its folded text. */
export interface IndexedDocument extends Omit<SearchDocument, 'description' | 'translations'> {
  deleted: false;
  folded: { name: string; brand: string; attrs: string[]; description: string };
  /** Each translation's text, folded like the rest. */
  i18n?: Partial<Record<Locale, { name: string; description: string }>>;
  /** Each translation's name, for hits. */
  localizedNames?: Partial<Record<Locale, string>>;
}

/** Left in place of a removed product so that its version still turns older writes away. */
export interface Tombstone {
  id: string;
  version: number;
  deleted: true;
}

// Prefix matching through index_prefixes (a core feature, unlike the edge-ngram filter): every
// prefix of a word up to 19 letters is indexed, longer prefixes fall back to a term scan.
const PREFIXES: estypes.MappingTextIndexPrefixes = { min_chars: 1, max_chars: 19 };

// The text is folded and split into words before it gets here (search-text.ts), so the standard
// analyzer only has to break it at the spaces, exactly as the query words were broken.
const WORDS: estypes.MappingTextProperty = { type: 'text', analyzer: 'standard' };

export const INDEX_SETTINGS: estypes.IndicesIndexSettings = {
  // One shard: facet counts and relevance statistics are exact, and a catalogue fits one shard.
  number_of_shards: 1,
  // A replica wherever a second node can hold it; none on a single-node cluster.
  auto_expand_replicas: '0-1',
};

const DISPLAY_ONLY = { type: 'keyword', index: false, doc_values: false } as const;

export const INDEX_MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    name: DISPLAY_ONLY,
    brand: { type: 'keyword' },
    categoryIds: { type: 'keyword' },
    directCategoryIds: { type: 'keyword' },
    attrs: { type: 'keyword' },
    price: { type: 'integer' },
    currency: { type: 'keyword' },
    image: DISPLAY_ONLY,
    version: { type: 'integer' },
    createdAt: { type: 'date' },
    ratingAverage: { type: 'double' },
    ratingCount: { type: 'integer' },
    deleted: { type: 'boolean' },
    // Translations: no language analysers in this build (analysis-common is missing), so folded words.
    i18n: {
      properties: Object.fromEntries(
        SUPPORTED_LOCALES.map((locale) => [locale, { properties: { name: { ...WORDS, index_prefixes: PREFIXES }, description: WORDS } }]),
      ),
    },
    localizedNames: { type: 'object', enabled: false },
    folded: {
      properties: {
        name: { ...WORDS, index_prefixes: PREFIXES },
        brand: { ...WORDS, index_prefixes: PREFIXES },
        attrs: { ...WORDS, index_prefixes: PREFIXES },
        description: WORDS,
      },
    },
  },
};

const words = (text: string) => foldedWords(text).join(' ');

export function toIndexed(document: SearchDocument): IndexedDocument {
  const { description, translations, ...shown } = document;
  const texts = Object.entries(translations ?? {}).filter(([locale]) => (SUPPORTED_LOCALES as string[]).includes(locale));
  return {
    ...shown,
    deleted: false,
    folded: { name: words(document.name), brand: words(document.brand), attrs: document.attrs.map(words), description: words(description) },
    ...(texts.length > 0
      ? {
          i18n: Object.fromEntries(texts.map(([locale, text]) => [locale, { name: words(text!.name), description: words(text!.description) }])),
          localizedNames: Object.fromEntries(texts.map(([locale, text]) => [locale, text!.name])),
        }
      : {}),
  };
}

export function tombstone(id: string, version: number): Tombstone {
  return { id, version, deleted: true };
}
