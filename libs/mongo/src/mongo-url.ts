/**
 * MongoDB connection strings: `mongodb://[user:pass@]host[:port][,host…]/[database][?options]` or
 * `mongodb+srv://…`. The database in the path is the service's own; one server can hold many.
 */
export function isMongoUrl(value: string): boolean {
  return /^mongodb(\+srv)?:\/\/[^/?#]+(\/[^?#]*)?(\?.*)?$/.test(value);
}

/** The database named in the URL's path, or undefined when the path is empty. */
export function mongoDatabaseName(url: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?#]+\/([^?#]*)/.exec(url);
  const name = match?.[1] ? decodeURIComponent(match[1]) : '';
  return name || undefined;
}

/** The same server (credentials and options kept) with `database` in the path. */
export function withMongoDatabase(url: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?#]+)(?:\/[^?#]*)?(\?[^#]*)?$/.exec(url);
  if (!match) throw new Error('not a mongodb:// URL');
  return `${match[1]}/${encodeURIComponent(database)}${match[2] ?? ''}`;
}

/** The URL without its password, for logs. */
export function redactMongoUrl(url: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}
