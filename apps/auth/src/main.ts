import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { AuthModule } from './auth.module';
import { authConfigSchema } from './config';

main(() => ({ name: 'auth', config: loadConfigOrExit(authConfigSchema, 'auth'), module: AuthModule }));
