import { Injectable } from '@nestjs/common';
import { authV1 } from '@shop/contracts';
import type { ServiceHandlers } from '@shop/grpc';
import { AccountLocks } from './access/account-locks.service';
import { RevocationList } from './access/revocation-list';
import { RegistrationService } from './registration/registration.service';
import { RolesService } from './roles/roles.service';
import { SessionsService } from './sessions/sessions.service';
import { SigningKeys } from './tokens/signing-keys';

/** The AuthService contract, mapped onto the services that hold the logic. */
@Injectable()
export class AuthGrpcHandlers implements ServiceHandlers<typeof authV1.AuthServiceService> {
  constructor(
    private readonly registration: RegistrationService,
    private readonly sessions: SessionsService,
    private readonly keys: SigningKeys,
    private readonly roles: RolesService,
    private readonly locks: AccountLocks,
    private readonly revocations: RevocationList,
  ) {}

  async register(request: authV1.RegisterRequest): Promise<authV1.RegisterResponse> {
    return this.registration.register(request);
  }

  login(request: authV1.LoginRequest): Promise<authV1.TokenPair> {
    return this.sessions.login(request.email, request.password, request.source);
  }

  refresh(request: authV1.RefreshRequest): Promise<authV1.TokenPair> {
    return this.sessions.refresh(request.refreshToken);
  }

  async logout(request: authV1.LogoutRequest): Promise<authV1.LogoutResponse> {
    await this.sessions.logout(request.refreshToken);
    return {};
  }

  async logoutEverywhere(request: authV1.LogoutEverywhereRequest): Promise<authV1.LogoutResponse> {
    await this.sessions.logoutEverywhere(request.userId);
    return {};
  }

  async getJwks(): Promise<authV1.GetJwksResponse> {
    return { keys: await this.keys.publicKeys() };
  }

  async rotateSigningKey(): Promise<authV1.RotateSigningKeyResponse> {
    return { kid: await this.keys.rotate() };
  }

  getUserRoles(request: authV1.GetUserRolesRequest): Promise<authV1.UserRoles> {
    return this.roles.accessOf(request.userId);
  }

  setUserRoles(request: authV1.SetUserRolesRequest): Promise<authV1.UserRoles> {
    return this.roles.setRoles(request.userId, request.roles);
  }

  async listRoles(): Promise<authV1.ListRolesResponse> {
    return { roles: await this.roles.listRoles() };
  }

  lockUser(request: authV1.LockUserRequest): Promise<authV1.AccountLock> {
    return this.locks.lock(request.userId, request.reason);
  }

  unlockUser(request: authV1.UnlockUserRequest): Promise<authV1.AccountLock> {
    return this.locks.unlock(request.userId);
  }

  listAccessRevocations(): Promise<authV1.ListAccessRevocationsResponse> {
    return this.revocations.list();
  }
}
