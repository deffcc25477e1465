import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { authService } from './auth.service-spec';
import { authConfigSchema } from './config';

main(() => authService(loadConfigOrExit(authConfigSchema, 'auth')));
