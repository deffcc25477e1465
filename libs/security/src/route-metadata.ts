import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

/**
 * One metadata key of a route (its handler's, else its controller's, as Reflector.getAllAndOverride
 * reads it), read once per handler and controller. Decorators set it before the app starts and it
 * never changes, while reflect-metadata walks its maps on every read and the global guards ask on
 * every request.
 */
export class RouteMetadata<T> {
  private readonly byHandler = new WeakMap<object, Map<object, T | undefined>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly key: string,
  ) {}

  of(context: ExecutionContext): T | undefined {
    const handler = context.getHandler() as object | undefined;
    const controller = context.getClass() as object | undefined;
    // Not a route (a test's stand-in context): nothing to keep it under.
    if (typeof handler !== 'function' || typeof controller !== 'function') return this.read(handler, controller);
    let byController = this.byHandler.get(handler);
    if (!byController) this.byHandler.set(handler, (byController = new Map()));
    if (!byController.has(controller)) byController.set(controller, this.read(handler, controller));
    return byController.get(controller);
  }

  private read(handler: object | undefined, controller: object | undefined): T | undefined {
    return this.reflector.getAllAndOverride<T | undefined>(this.key, [handler as () => void, controller as () => void]);
  }
}
