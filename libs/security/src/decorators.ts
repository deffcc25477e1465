import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, RequestWithPrincipal } from './principal';

export const IS_PUBLIC = 'shop:isPublic';
export const REQUIRED_PERMISSIONS = 'shop:requiredPermissions';

/** The route needs no access token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The caller's token must carry every one of these permissions (never a role name: roles are data). */
export const RequirePermissions = (...permissions: string[]) => SetMetadata(REQUIRED_PERMISSIONS, permissions);

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});
