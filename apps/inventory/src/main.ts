import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { inventoryConfigSchema } from './config';
import { InventoryModule } from './inventory.module';

main(() => ({ name: 'inventory', config: loadConfigOrExit(inventoryConfigSchema, 'inventory'), module: InventoryModule }));
