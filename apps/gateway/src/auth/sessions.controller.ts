import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@shop/security';
import { AUTH_CLIENT, type AuthClient } from '../downstream/downstreams';

/** What a signed-in user does to their own sessions (logging out one session takes only its refresh token: AuthController). */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth')
export class SessionsController {
  constructor(@Inject(AUTH_CLIENT) private readonly auth: AuthClient) {}

  @Post('logout-everywhere')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Every session of the caller ended: refresh tokens revoked, access tokens (this one too) refused within seconds' })
  async logoutEverywhere(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.call('logoutEverywhere', { userId: principal.id });
  }
}
