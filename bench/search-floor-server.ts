// The floor of the search path's stack, for `npm run bench:search`: the gateway's hop and the
// product service's hop with only the libraries they stand on (fastify, grpc-js with the generated
// codecs, the Elasticsearch client) and our own query parsing, query building and answer mapping.
// No Nest, guards, auth, rate limit, catalogue cache, metrics, logs or tracing: the distance from
// this to the platform, in the same run, is what those layers cost.
//
//   node search-floor-server.js product <port> <elasticsearch url> <index> <category slugs to ids, JSON>
//   node search-floor-server.js gateway <port> <product service address>
import { Client } from '@elastic/elasticsearch';
import { credentials, type handleUnaryCall, Metadata, Server, ServerCredentials, type ServiceError, status } from '@grpc/grpc-js';
import { productV1 } from '@shop/contracts';
import fastify from 'fastify';
import { parseSearchQuery } from '../apps/gateway/src/catalog/search-query';
import { toSearchView } from '../apps/gateway/src/catalog/search-view';
import { toSearchProductsResponse } from '../apps/product/src/search/search-answer';
import { searchRequest, searchResult } from '../apps/product/src/search/elasticsearch-query';
import type { SearchHit } from '../apps/product/src/search/search-backend';
import { searchQueryOf } from '../apps/product/src/search/search-request';

const [role, port, ...rest] = process.argv.slice(2);

function serveProduct(elasticsearchUrl: string, index: string, categories: Record<string, string>): void {
  const engine = new Client({ node: elasticsearchUrl });
  const searchProducts: handleUnaryCall<productV1.SearchProductsRequest, productV1.SearchProductsResponse> = (call, callback) => {
    const { query, category } = searchQueryOf(call.request, 100);
    if (category) query.categoryIds = [categories[category] ?? category];
    engine.search<SearchHit>(searchRequest(index, query), { openTelemetry: { enabled: false } }).then(
      (answer) => callback(null, toSearchProductsResponse({ ...searchResult(answer), page: query.page, limit: query.limit })),
      (error: Error) => callback({ code: status.UNAVAILABLE, details: error.message, name: error.name, message: error.message }),
    );
  };
  const server = new Server();
  server.addService(productV1.ProductServiceService, { searchProducts });
  server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error) => {
    if (error) throw error;
    process.send?.('ready');
  });
}

function serveGateway(productAddress: string): void {
  const products = new productV1.ProductServiceClient(productAddress, credentials.createInsecure());
  const app = fastify();
  app.get('/api/v1/products', (request, reply) => {
    const search = parseSearchQuery(request.query as Record<string, unknown>);
    products.searchProducts(search, new Metadata(), { deadline: Date.now() + 5000 }, (error: ServiceError | null, result) => {
      if (error) void reply.code(503).send({ code: 'UNAVAILABLE', message: error.details });
      else void reply.header('cache-control', 'public, max-age=2').send(toSearchView(result));
    });
  });
  app.listen({ port: Number(port), host: '127.0.0.1' }).then(
    () => process.send?.('ready'),
    (error: unknown) => {
      throw error;
    },
  );
}

if (role === 'product') serveProduct(rest[0]!, rest[1]!, JSON.parse(rest[2]!) as Record<string, string>);
else if (role === 'gateway') serveGateway(rest[0]!);
else throw new Error(`search-floor-server: role must be product or gateway, got ${role}`);
