import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@shop/security';
import { JwksView } from '../docs/views';
import { AUTH_CLIENT, type AuthClient } from '../downstream/downstreams';

/** The JWKS at the standard root location, for clients that look only there. */
@ApiTags('auth')
@Public()
@Controller('.well-known')
export class WellKnownController {
  constructor(@Inject(AUTH_CLIENT) private readonly auth: AuthClient) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({ type: JwksView, description: 'Public keys that verify access tokens' })
  jwks(): Promise<{ keys: object[] }> {
    return this.auth.call('getJwks', {});
  }
}
