import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { userConfigSchema } from './config';
import { UserModule } from './user.module';

main(() => ({ name: 'user', config: loadConfigOrExit(userConfigSchema, 'user'), module: UserModule }));
