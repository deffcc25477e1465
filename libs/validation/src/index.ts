export * from './bounds';
export * from './text';
export * from './attribute-names';
export * from './locales';
export * from './uuid';
