export type { SearchBackend } from './search-backend';

export const SEARCH_BACKEND = Symbol('SEARCH_BACKEND');
