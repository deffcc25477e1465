/** Injection tokens for what CoreModule provides: the service's name, config, logger and metrics registry. */
export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const LOGGER = Symbol('LOGGER');
export const METRICS = Symbol('METRICS');
export const APP_CONFIG = Symbol('APP_CONFIG');
