import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { notificationConfigSchema } from './config';
import { NotificationModule } from './notification.module';

main(() => ({ name: 'notification', config: loadConfigOrExit(notificationConfigSchema, 'notification'), module: NotificationModule }));
