import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { paymentConfigSchema } from './config';
import { paymentService } from './payment.service-spec';

main(() => paymentService(loadConfigOrExit(paymentConfigSchema, 'payment')));
