import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { orderConfigSchema } from './config';
import { orderService } from './order.service-spec';

main(() => orderService(loadConfigOrExit(orderConfigSchema, 'order')));
