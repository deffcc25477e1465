import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { REQUIRED_PERMISSIONS } from './decorators';
import type { RequestWithPrincipal } from './principal';
import { RouteMetadata } from './route-metadata';

@Injectable()
export class PermissionsGuard implements CanActivate {
  private readonly requiredPermissions: RouteMetadata<string[]>;

  constructor(reflector: Reflector) {
    this.requiredPermissions = new RouteMetadata(reflector, REQUIRED_PERMISSIONS);
  }

  canActivate(context: ExecutionContext): boolean {
    const required = this.requiredPermissions.of(context);
    if (!required || required.length === 0) return true;
    const granted = new Set(context.switchToHttp().getRequest<RequestWithPrincipal>().principal?.permissions ?? []);
    const missing = required.filter((permission) => !granted.has(permission));
    if (missing.length > 0) throw new ForbiddenException(`missing permission: ${missing.join(', ')}`);
    return true;
  }
}
