import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { completeContract } from './contract';

const DESCRIPTION = `The public REST API: shoppers under /api/v1, admins under /api/v1/admin.

Every error is one JSON shape, \`ErrorBody\`: \`{ statusCode, error, message, requestId, details? }\`, also for what is refused before
any route runs (a body that is not JSON: 415; JSON nested deeper than 32 levels or a malformed URL: 400; an over-long path segment:
414; oversized headers: 431; a method a path does not take: 405 with Allow; one nothing implements, such as TRACE: 501). Every 503
carries Retry-After. Bodies are JSON objects that name only the documented properties, with no nulls (leave an optional field out);
no text anywhere takes control characters (tab and line breaks aside).`;

const UUID_PARAMS = new Set(['id', 'productId', 'categoryId']);

/** What the decorators cannot say, said once here. */
function refine(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components!.schemas!;
  // Exactly one of a saved address or one given here.
  Object.assign(schemas.PlaceOrderDto!, { oneOf: [{ required: ['shippingAddressId'] }, { required: ['shippingAddress'] }] });
  // Ids in paths are UUIDs (every one goes through ParseUUIDPipe: anything else is a 400).
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch]) {
      for (const parameter of (operation?.parameters ?? []) as Array<{ in?: string; name?: string; schema?: Record<string, unknown> }>) {
        if (parameter.in === 'path' && UUID_PARAMS.has(parameter.name ?? '')) parameter.schema = { type: 'string', format: 'uuid', example: '0ed19667-52d3-4242-aeb0-7ef4298ef6b5' };
      }
    }
  }
  // A PATCH that sets nothing changes nothing and is refused (SomeChangePipe); a body that needs nothing
  // may be left out (the ValidationPipe reads no body as {}).
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item) as Array<[string, { requestBody?: { required?: boolean; content?: Record<string, { schema?: { $ref?: string } }> } }]>) {
      const ref = operation?.requestBody?.content?.['application/json']?.schema?.$ref;
      const schema = ref ? (schemas[ref.replace('#/components/schemas/', '')] as { required?: string[]; oneOf?: unknown[] }) : undefined;
      if (schema && !schema.required?.length && !schema.oneOf && method !== 'patch') operation.requestBody!.required = false;
    }
  }
  for (const item of Object.values(document.paths)) {
    const body = item.patch?.requestBody;
    const ref = body && 'content' in body ? (body.content['application/json']?.schema as { $ref?: string } | undefined)?.$ref : undefined;
    const schema = ref ? (schemas[ref.replace('#/components/schemas/', '')] as { required?: string[]; minProperties?: number }) : undefined;
    if (schema && !schema.required?.length) schema.minProperties = 1;
  }
  return document;
}

/** The OpenAPI document is generated from the controllers and DTOs; UI at /docs, JSON at /docs-json. */
export function createOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder().setTitle('Shop platform API').setDescription(DESCRIPTION).setVersion('1').addBearerAuth().build();
  return refine(completeContract(SwaggerModule.createDocument(app, config)));
}

export function setupOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
