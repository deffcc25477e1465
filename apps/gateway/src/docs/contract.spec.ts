import { UNSTORABLE_CHARACTER } from '@shop/validation';
import { completeContract, ERROR_SCHEMA_NAME, STORABLE_TEXT } from './contract';

describe('the documented text pattern', () => {
  const documented = new RegExp(STORABLE_TEXT, 'u');

  it('refuses exactly the characters the gateway refuses (lone surrogates aside, which no pattern can say)', () => {
    for (let code = 0; code <= 0xffff; code += 1) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const character = String.fromCharCode(code);
      expect({ code, documented: documented.test(`a${character}b`) }).toEqual({ code, documented: !UNSTORABLE_CHARACTER.test(character) });
    }
  });
});

describe('completeContract', () => {
  const document = () =>
    ({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      components: {
        schemas: {
          ItemDto: { type: 'object', required: ['sku'], properties: { sku: { type: 'string', pattern: '^[A-Z]+$' }, note: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } },
        },
      },
      paths: {
        '/api/v1/items/{id}': {
          patch: {
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ItemDto' } } } },
            responses: { '200': { description: 'ok' } },
            security: [{ bearer: [] }],
          },
        },
        '/api/v1/public': { get: { parameters: [{ name: 'q', in: 'query', required: false, schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } } },
      },
    }) as never;

  it('documents the errors every operation can give, in the one error shape, by what the operation takes', () => {
    const done = completeContract(document()) as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: unknown; headers?: Record<string, unknown> }> }>>; components: { schemas: Record<string, unknown> } };
    expect(done.components.schemas[ERROR_SCHEMA_NAME]).toMatchObject({ required: ['statusCode', 'error', 'message', 'requestId'] });
    const patch = done.paths['/api/v1/items/{id}']!.patch!.responses;
    expect(Object.keys(patch).sort()).toEqual(['200', '400', '401', '403', '404', '413', '414', '415', '429', '503']);
    expect(patch['404']!.content).toEqual({ 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` } } });
    expect(patch['503']!.headers).toHaveProperty('Retry-After');
    // A public operation without a body or path parameters: no 401/403, 404, 413 or 415.
    expect(Object.keys(done.paths['/api/v1/public']!.get!.responses).sort()).toEqual(['200', '400', '429', '503']);
  });

  it('holds request bodies to what the ValidationPipe and the text check enforce', () => {
    const done = completeContract(document()) as unknown as { components: { schemas: Record<string, { additionalProperties?: boolean; properties: Record<string, { pattern?: string; items?: { pattern?: string } }> }> }; paths: Record<string, Record<string, { parameters: Array<{ schema: { pattern?: string } }> }>> };
    const item = done.components.schemas.ItemDto!;
    expect(item.additionalProperties).toBe(false);
    expect(item.properties.sku!.pattern).toBe('^[A-Z]+$');
    expect(item.properties.note!.pattern).toBe(STORABLE_TEXT);
    expect(item.properties.tags!.items!.pattern).toBe(STORABLE_TEXT);
    expect(done.paths['/api/v1/public']!.get!.parameters[0]!.schema.pattern).toBe(STORABLE_TEXT);
  });
});
