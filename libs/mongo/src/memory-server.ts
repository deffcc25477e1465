export interface StartedMongo {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real `mongod` from mongodb-memory-server: it needs the binary, which it downloads from MongoDB's
 * own site the first time (or takes from MONGOMS_SYSTEM_BINARY / its cache). Where that site cannot
 * be reached (these machines) it throws within seconds, and the caller falls back to FerretDB.
 * With `dbPath` the data outlives the process (the embedded default); without, it is thrown away.
 */
export async function startMongoMemoryServer(options: { dbPath?: string; port?: number } = {}): Promise<StartedMongo> {
  // Loaded only when wanted: the package is large and most processes never need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MongoMemoryServer } = require('mongodb-memory-server-core') as typeof import('mongodb-memory-server-core');
  const server = await MongoMemoryServer.create({
    instance: { ip: '127.0.0.1', port: options.port, ...(options.dbPath ? { dbPath: options.dbPath, storageEngine: 'wiredTiger' as const } : {}) },
  });
  return { url: server.getUri(), stop: async () => void (await server.stop({ doCleanup: !options.dbPath, force: false })) };
}
