import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { HEALTH_CHECKS, HealthController } from '@shop/health';
import { postgresHealthCheck } from '@shop/persistence';
import { MetricsController } from '@shop/service-kit';
import { AdminBootstrap } from './admin-bootstrap';
import { AuthGrpcHandlers } from './auth.grpc';
import { LoginThrottle } from './credentials/login-throttle';
import { PasswordHasher } from './credentials/password-hasher';
import { PRISMA, type PrismaClient } from './prisma';
import { RegistrationService } from './registration/registration.service';
import { RolesService } from './roles/roles.service';
import { SessionsService } from './sessions/sessions.service';
import { SigningKeys } from './tokens/signing-keys';
import { AccessTokens } from './tokens/tokens';

@Module({})
export class AuthModule {
  static forRoot(core: Provider[], prisma: PrismaClient): DynamicModule {
    return {
      module: AuthModule,
      controllers: [HealthController, MetricsController],
      providers: [
        ...core,
        { provide: PRISMA, useValue: prisma },
        // Kafka being down does not make auth unready: events wait in the outbox.
        { provide: HEALTH_CHECKS, useValue: [postgresHealthCheck(prisma)] },
        PasswordHasher,
        LoginThrottle,
        SigningKeys,
        AccessTokens,
        RolesService,
        RegistrationService,
        SessionsService,
        AdminBootstrap,
        AuthGrpcHandlers,
      ],
    };
  }
}
