import { Body, Controller, HttpCode, Inject, Ip, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@shop/security';
import { AUTH_CLIENT, type AuthClient } from '../downstream/downstreams';
import { ApiErrors } from '../docs/contract';
import { StrictAuthRateLimit } from '../rate-limit/rate-limit.guards';
import { LoginDto, RefreshTokenDto, RegisterDto, RegisteredUserView, TokenPairView } from './auth.dto';

@ApiTags('auth')
@Public()
@Controller()
export class AuthController {
  constructor(@Inject(AUTH_CLIENT) private readonly auth: AuthClient) {}

  @Post('auth/register')
  @StrictAuthRateLimit()
  @ApiCreatedResponse({ type: RegisteredUserView })
  @ApiErrors([409, 'The email is taken'])
  async register(@Body() body: RegisterDto): Promise<RegisteredUserView> {
    const created = await this.auth.call('register', { email: body.email, password: body.password, name: body.name ?? '' });
    return { id: created.userId, email: created.email };
  }

  @Post('auth/login')
  @HttpCode(200)
  @StrictAuthRateLimit()
  @ApiOkResponse({ type: TokenPairView })
  @ApiErrors([401, 'Wrong email or password'], [403, 'The account is locked (the password was right)'], [429, "Too many requests, or this client's address is locked out of the account after failing to log in to it; Retry-After says until when"])
  login(@Body() body: LoginDto, @Ip() clientAddress: string): Promise<TokenPairView> {
    // Failed logins lock out the client's address from the account, not the account (TRUST_PROXY says whose address that is).
    return this.auth.call('login', { ...body, source: clientAddress });
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @StrictAuthRateLimit()
  @ApiOkResponse({ type: TokenPairView })
  @ApiErrors([401, 'The refresh token is unknown, expired or revoked (a reused one revokes its whole family)'], [403, 'The account is locked'])
  refresh(@Body() body: RefreshTokenDto): Promise<TokenPairView> {
    return this.auth.call('refresh', body);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The session of this refresh token is revoked' })
  async logout(@Body() body: RefreshTokenDto): Promise<void> {
    await this.auth.call('logout', body);
  }
}
