// `node dist/apps/product/src/reindex.js`: rebuilds the Elasticsearch index from the product
// database into a new index and swaps the alias; searches are answered from the old index throughout.
import { elasticsearchConnection, loadConfigOrExit } from '@shop/config';
import { createLogger } from '@shop/observability';
import { productConfigSchema } from './config';
import { createPrismaClient, type PrismaClient } from './prisma';
import { PRODUCT_WITH_DETAILS, toSnapshot } from './products/product-snapshot';
import { ElasticsearchSearch } from './search/elasticsearch-search';
import type { SearchDocument } from './search/search-backend';
import { buildDocument } from './search/search-documents';

const PAGE = 500;

/** Every published product as a search document, a page at a time. */
export async function* publishedDocuments(prisma: PrismaClient): AsyncIterable<SearchDocument[]> {
  const categories = new Map((await prisma.category.findMany({ select: { id: true, path: true } })).map((c) => [c.id, c.path]));
  let cursor: string | undefined;
  for (;;) {
    const rows = await prisma.product.findMany({
      where: { status: 'published', deletedAt: null },
      include: PRODUCT_WITH_DETAILS,
      orderBy: { id: 'asc' },
      take: PAGE,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    if (rows.length === 0) return;
    yield rows.map((row) => {
      const snapshot = toSnapshot(row);
      return buildDocument(snapshot, [...new Set(snapshot.categoryIds.flatMap((id) => categories.get(id) ?? [id]))]);
    });
    cursor = rows[rows.length - 1]!.id;
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(productConfigSchema, 'product-reindex');
  const logger = createLogger('product-reindex', config.LOG_LEVEL);
  if (!config.ELASTICSEARCH_URL) {
    logger.error('ELASTICSEARCH_URL is not set; the Postgres search view needs no reindex');
    process.exit(64);
  }
  const prisma = createPrismaClient(config.DATABASE_URL);
  const search = new ElasticsearchSearch({ node: config.ELASTICSEARCH_URL, indexAlias: config.ELASTICSEARCH_INDEX, logger, connection: elasticsearchConnection(config) });
  const started = Date.now();
  try {
    await search.init();
    await search.reindex(publishedDocuments(prisma));
    logger.info({ ms: Date.now() - started, alias: config.ELASTICSEARCH_INDEX }, 'reindexed and swapped the alias');
  } finally {
    await search.close();
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`reindex failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
