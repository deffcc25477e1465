/** Injection tokens for the per-process logger and metrics registry. */
export const LOGGER = Symbol('LOGGER');
export const METRICS = Symbol('METRICS');
export const APP_CONFIG = Symbol('APP_CONFIG');
