import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { productConfigSchema } from './config';
import { ProductModule } from './product.module';

main(() => ({ name: 'product', config: loadConfigOrExit(productConfigSchema, 'product'), module: ProductModule }));
