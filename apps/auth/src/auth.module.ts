import { Module } from '@nestjs/common';
import { authV1 } from '@shop/contracts';
import { HealthController } from '@shop/health';
import { MessagingModule } from '@shop/messaging';
import { LOGGER, MetricsController, providePostgresReadiness, provideGrpcService, providePrisma, provideSweeper } from '@shop/service-kit';
import type { Logger } from 'pino';
import { AccountLocks } from './access/account-locks.service';
import { RevocationList } from './access/revocation-list';
import { AdminBootstrap } from './admin-bootstrap';
import { AuthGrpcHandlers } from './auth.grpc';
import { AuthStartup } from './auth.startup';
import { LoginThrottle, StaleLoginAttemptsSweeper } from './credentials/login-throttle';
import { PasswordHasher } from './credentials/password-hasher';
import { createPrismaClient, PRISMA } from './prisma';
import { RegistrationService } from './registration/registration.service';
import { RolesService } from './roles/roles.service';
import { SessionsService } from './sessions/sessions.service';
import { SigningKeys } from './tokens/signing-keys';
import { AccessTokens } from './tokens/tokens';

/** The auth service: credentials, sessions, signing keys, roles and locks over gRPC; user.registered and user.access_changed through the outbox. */
@Module({
  imports: [MessagingModule.forRoot({ outbox: true })],
  controllers: [HealthController, MetricsController],
  providers: [
    providePrisma(PRISMA, createPrismaClient),
    // Kafka being down does not make auth unready: events wait in the outbox.
    providePostgresReadiness(PRISMA),
    provideGrpcService('AuthService', authV1.AuthServiceService, AuthGrpcHandlers),
    PasswordHasher,
    LoginThrottle,
    provideSweeper(StaleLoginAttemptsSweeper, [LoginThrottle, LOGGER], (throttle: LoginThrottle, logger: Logger) => new StaleLoginAttemptsSweeper(throttle, logger)),
    SigningKeys,
    AccessTokens,
    RolesService,
    RegistrationService,
    SessionsService,
    AccountLocks,
    RevocationList,
    AdminBootstrap,
    AuthStartup,
    AuthGrpcHandlers,
  ],
})
export class AuthModule {}
