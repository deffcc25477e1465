import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { gatewayConfigSchema } from './config';
import { GatewayModule } from './gateway.module';
import { setUpHttp } from './http-setup';

main(() => {
  const config = loadConfigOrExit(gatewayConfigSchema, 'gateway');
  return {
    name: 'gateway',
    config,
    module: GatewayModule,
    // Stripe's webhook signature covers the exact bytes of the body.
    http: { port: config.PORT, bodyLimitBytes: config.BODY_LIMIT_BYTES, trustProxy: config.TRUST_PROXY, rawBody: true },
    configure: (app) => setUpHttp(app, config),
  };
});
