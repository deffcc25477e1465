import { readFileSync } from 'node:fs';
import { Client } from 'pg';

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: string;
}
interface DmmfModel {
  name: string;
  dbName?: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'normal' | 'unique' | 'fulltext';
  fields: Array<{ name: string }>;
}

/**
 * Compares a Prisma schema with a migrated database: every model's table, every scalar field's
 * column and every @id, @unique, @@unique and @@index must exist with the same columns. Returns
 * the problems found; none means the migrations build what the schema describes.
 */
export async function findSchemaDrift(schemaPath: string, databaseUrl: string): Promise<string[]> {
  // Loaded lazily: @prisma/internals is a development dependency.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getDMMF } = require('@prisma/internals') as { getDMMF(options: { datamodel: string }): Promise<{ datamodel: { models: DmmfModel[]; indexes: DmmfIndex[] } }> };
  const { datamodel } = await getDMMF({ datamodel: readFileSync(schemaPath, 'utf8') });
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const columns = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const indexes = await client.query<{ table_name: string; unique: boolean; columns: string[] }>(
      `SELECT t.relname AS table_name, ix.indisunique AS unique,
              array_agg(a.attname::text ORDER BY k.ord) AS columns
         FROM pg_index ix
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE ix.indpred IS NULL
        GROUP BY t.relname, ix.indexrelid, ix.indisunique`,
    );
    const tableColumns = new Map<string, Set<string>>();
    for (const row of columns.rows) {
      if (!tableColumns.has(row.table_name)) tableColumns.set(row.table_name, new Set());
      tableColumns.get(row.table_name)!.add(row.column_name);
    }
    const problems: string[] = [];
    const models = new Map(datamodel.models.map((model) => [model.name, model]));
    const columnOf = (model: DmmfModel, field: string) => {
      const found = model.fields.find((f) => f.name === field);
      return found?.dbName ?? found?.name ?? field;
    };
    for (const model of datamodel.models) {
      const table = model.dbName ?? model.name;
      const present = tableColumns.get(table);
      if (!present) {
        problems.push(`table ${table} (model ${model.name}) is missing`);
        continue;
      }
      for (const field of model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum')) {
        const column = field.dbName ?? field.name;
        if (!present.has(column)) problems.push(`column ${table}.${column} (${model.name}.${field.name}) is missing`);
      }
    }
    for (const index of datamodel.indexes) {
      if (index.type === 'fulltext') continue;
      const model = models.get(index.model)!;
      const table = model.dbName ?? model.name;
      const wanted = index.fields.map((f) => columnOf(model, f.name));
      const unique = index.type !== 'normal';
      const match = indexes.rows.some(
        (row) => row.table_name === table && row.unique === unique && row.columns.join(',') === wanted.join(','),
      );
      if (!match) problems.push(`${index.type} index on ${table}(${wanted.join(', ')}) is missing`);
    }
    return problems;
  } finally {
    await client.end();
  }
}
