import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { userConfigSchema } from './config';
import { userService } from './user.service-spec';

main(() => userService(loadConfigOrExit(userConfigSchema, 'user')));
