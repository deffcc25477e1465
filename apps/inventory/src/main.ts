import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { inventoryConfigSchema } from './config';
import { inventoryService } from './inventory.service-spec';

main(() => inventoryService(loadConfigOrExit(inventoryConfigSchema, 'inventory')));
