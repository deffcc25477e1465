import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { productConfigSchema } from './config';
import { productService } from './product.service-spec';

main(() => productService(loadConfigOrExit(productConfigSchema, 'product')));
