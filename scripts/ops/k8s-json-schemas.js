#!/usr/bin/env node
// Writes kubeconform's strict, standalone JSON schemas (one file per kind: <kind>-<group>-<version>.json,
// as kubeconform's {{ .ResourceKind }}{{ .KindSuffix }} names them) from
//   - Kubernetes' OpenAPI v2 document (api/openapi-spec/swagger.json of the k8s.io/kubernetes Go module), and
//   - CustomResourceDefinition YAML files (the Prometheus Operator's, from its Go module).
// What yannh/kubernetes-json-schema publishes, made from what the Go module proxy serves.
//
//   node scripts/ops/k8s-json-schemas.js OUT_DIR swagger.json [crd.yaml...]
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [outDir, swaggerFile, ...crdFiles] = process.argv.slice(2);
if (!outDir || !swaggerFile) {
  console.error('usage: k8s-json-schemas.js OUT_DIR swagger.json [crd.yaml...]');
  process.exit(64);
}

const fileName = (kind, group, version) => `${kind.toLowerCase()}${group ? `-${group.split('.')[0].toLowerCase()}` : ''}-${version.toLowerCase()}.json`;

/** Strict like kubectl: an object with properties takes no others; int-or-string as either. */
function strict(schema) {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== 'object') return schema;
  if (schema.format === 'int-or-string' || schema['x-kubernetes-int-or-string']) {
    const { format, 'x-kubernetes-int-or-string': _, type, ...rest } = schema;
    return { ...strict(rest), oneOf: [{ type: 'string' }, { type: 'integer' }] };
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) out[key] = key === 'enum' || key === 'required' ? value : strict(value);
  if (out.properties && out.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

const swagger = JSON.parse(fs.readFileSync(swaggerFile, 'utf8'));
const definitions = swagger.definitions;

/** The schema with every $ref inlined (standalone); Kubernetes' built-in types have no cycles. */
function inline(schema, seen = []) {
  if (Array.isArray(schema)) return schema.map((item) => inline(item, seen));
  if (!schema || typeof schema !== 'object') return schema;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/definitions/', '');
    if (seen.includes(name)) return {}; // a cycle (none in the built-in types): accept anything there
    const { $ref, ...rest } = schema;
    return { ...inline(definitions[name], [...seen, name]), ...inline(rest, seen) };
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) out[key] = inline(value, seen);
  return out;
}

fs.mkdirSync(outDir, { recursive: true });
let written = 0;
for (const [name, definition] of Object.entries(definitions)) {
  for (const gvk of definition['x-kubernetes-group-version-kind'] ?? []) {
    // Only the kinds of their own API group's definition (each kind is also listed under meta/v1 WatchEvent etc.).
    if (gvk.kind !== name.split('.').pop()) continue;
    const schema = strict(inline(definition, [name]));
    const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
    if (schema.properties?.apiVersion) schema.properties.apiVersion = { type: 'string', enum: [apiVersion] };
    if (schema.properties?.kind) schema.properties.kind = { type: 'string', enum: [gvk.kind] };
    fs.writeFileSync(path.join(outDir, fileName(gvk.kind, gvk.group, gvk.version)), JSON.stringify({ $schema: 'http://json-schema.org/schema#', ...schema }));
    written++;
  }
}

if (crdFiles.length) {
  const { parseAllDocuments } = require('yaml');
  const objectMeta = strict(inline(definitions['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'], ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']));
  for (const file of crdFiles) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions ?? []) {
        const schema = strict(version.schema?.openAPIV3Schema ?? {});
        schema.properties = { ...schema.properties, metadata: objectMeta };
        schema.properties.apiVersion = { type: 'string', enum: [`${crd.spec.group}/${version.name}`] };
        schema.properties.kind = { type: 'string', enum: [crd.spec.names.kind] };
        fs.writeFileSync(path.join(outDir, fileName(crd.spec.names.kind, crd.spec.group, version.name)), JSON.stringify(schema));
        written++;
      }
    }
  }
}
console.error(`k8s-json-schemas: ${written} schemas in ${outDir}`);
