import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * The OpenAPI document as a contract: what every route takes and answers, so that a client generated
 * from it, and the schemathesis run (scripts/contract), find the gateway doing exactly what it says.
 *
 * Routes declare their own success answers and the errors only they give (409, 422…) with ApiErrors;
 * completeContract adds, to every operation, what the gateway's edge answers whichever route it is
 * (the error filter's one shape, HttpErrorFilter in libs/service-kit), and to every request schema
 * what the global ValidationPipe and the text check enforce: no property it does not name
 * (whitelist + forbidNonWhitelisted) and no control character in any text (findUnstorableText).
 */

export const ERROR_SCHEMA_NAME = 'ErrorBody';
const ERROR_REF = { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` };

/** libs/errors ErrorBody: `{ statusCode, error, message, requestId, details? }`. */
const ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'Every error the gateway answers, whatever refused the request',
  required: ['statusCode', 'error', 'message', 'requestId'],
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599, example: 400 },
    error: { type: 'string', description: 'The status code’s reason phrase', example: 'Bad Request' },
    message: { type: 'string', example: 'Validation failed' },
    requestId: { type: 'string', description: 'X-Request-Id of the request, to find it in the logs', example: '132778e1-f6fe-4bf1-a472-7350b861b7b6' },
    details: { type: 'array', items: { type: 'string' }, description: 'Each problem, for validation failures', example: ['quantity must not be greater than 100'] },
  },
};

const RETRY_AFTER = { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } };

/** What each status means here, said once for every operation that can answer it. */
const MEANING: Record<number, string> = {
  400: 'The request breaks a documented constraint, or is malformed (a bad URL, JSON nested too deep); `details` lists each problem',
  401: 'No valid access token: missing, malformed, expired or revoked',
  403: 'The access token lacks a permission this operation needs',
  404: 'Nothing here by that id (another user’s is not found either)',
  409: 'Conflicts with the current state',
  413: 'The body is larger than the gateway takes (BODY_LIMIT_BYTES)',
  414: 'A path segment is longer than the gateway takes',
  415: 'The body is not JSON (Content-Type application/json)',
  422: 'Well-formed, but refused by a business rule (the message says which)',
  429: 'Too many requests from this client or user; Retry-After says when to try again',
  503: 'A service behind the gateway is unavailable or slow; Retry-After says when to try again',
};

/** The error answers an operation gives beyond those every operation gives: `ApiErrors(409, [422, 'the cart is empty'])`. */
export function ApiErrors(...entries: Array<number | [number, string]>) {
  return applyDecorators(
    ...entries.map((entry) => {
      const [status, description] = typeof entry === 'number' ? [entry, MEANING[entry] ?? 'Error'] : entry;
      return ApiResponse({ status, description, schema: ERROR_REF });
    }),
  );
}

/**
 * Text the gateway takes: no NUL or other C0 control (tab, line feed and carriage return aside), no
 * DEL: what UNSTORABLE_CHARACTER in libs/validation refuses (it also refuses lone surrogates, which
 * a pattern cannot say; contract.spec.ts keeps the two in step).
 */
export const STORABLE_TEXT = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';
type Schema = SchemaObject | ReferenceObject;

function isRef(schema: unknown): schema is ReferenceObject {
  return typeof schema === 'object' && schema !== null && '$ref' in schema;
}

function refName(ref: ReferenceObject): string {
  return ref.$ref.replace('#/components/schemas/', '');
}

/** Text fields take storable text only; other constraints (format, enum, pattern) already say at least as much. */
function constrainText(schema: SchemaObject): void {
  if (schema.type === 'string' && !schema.pattern && !schema.enum && !schema.format) schema.pattern = STORABLE_TEXT;
}

/** Walks a request schema: objects refuse what they do not name, text is storable; named schemas are visited once. */
function tightenRequestSchema(schema: Schema | undefined, schemas: Record<string, Schema>, seen: Set<string>): void {
  if (!schema) return;
  if (isRef(schema)) {
    const name = refName(schema);
    if (seen.has(name)) return;
    seen.add(name);
    tightenRequestSchema(schemas[name], schemas, seen);
    return;
  }
  constrainText(schema);
  if (schema.type === 'object' || schema.properties) {
    if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
    for (const property of Object.values(schema.properties ?? {})) tightenRequestSchema(property, schemas, seen);
    if (typeof schema.additionalProperties === 'object') tightenRequestSchema(schema.additionalProperties, schemas, seen);
  }
  if (schema.items) tightenRequestSchema(schema.items, schemas, seen);
  for (const list of [schema.allOf, schema.oneOf, schema.anyOf]) for (const part of list ?? []) tightenRequestSchema(part, schemas, seen);
}

function errorResponse(status: number, description = MEANING[status]!): ResponseObject {
  const response: ResponseObject = { description, content: { 'application/json': { schema: ERROR_REF } } };
  if (status === 503) response.headers = { 'Retry-After': { ...RETRY_AFTER, required: true } };
  if (status === 429) response.headers = { 'Retry-After': RETRY_AFTER };
  return response;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Adds what every operation can answer and what every request is held to; see the module's comment. */
export function completeContract(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components ??= {}).schemas ??= {};
  schemas[ERROR_SCHEMA_NAME] = ERROR_SCHEMA;
  const tightened = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as OperationObject | undefined;
      if (!operation) continue;
      const responses = operation.responses;
      const add = (status: number) => {
        responses[String(status)] ??= errorResponse(status);
        const response = responses[String(status)] as ResponseObject;
        // Errors declared by ApiErrors get the same headers as the defaults.
        if ((status === 429 || status === 503) && !response.headers) response.headers = errorResponse(status).headers;
      };
      add(400);
      if (operation.security && operation.security.length > 0) {
        add(401);
        add(403);
      }
      if (path.includes('{')) {
        add(404);
        add(414);
      }
      if (operation.requestBody) {
        add(413);
        add(415);
      }
      add(429);
      add(503);
      for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
        if (parameter.schema && !isRef(parameter.schema)) constrainText(parameter.schema);
      }
      const body = operation.requestBody && !isRef(operation.requestBody) ? operation.requestBody.content['application/json']?.schema : undefined;
      tightenRequestSchema(body, schemas, tightened);
    }
  }
  return document;
}
