import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { paymentConfigSchema } from './config';
import { PaymentModule } from './payment.module';

main(() => ({ name: 'payment', config: loadConfigOrExit(paymentConfigSchema, 'payment'), module: PaymentModule }));
