import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { reviewConfigSchema } from './config';
import { ReviewModule } from './review.module';

main(() => ({ name: 'review', config: loadConfigOrExit(reviewConfigSchema, 'review'), module: ReviewModule }));
