import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { orderConfigSchema } from './config';
import { OrderModule } from './order.module';

main(() => ({ name: 'order', config: loadConfigOrExit(orderConfigSchema, 'order'), module: OrderModule }));
