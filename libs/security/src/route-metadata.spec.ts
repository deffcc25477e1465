import { type ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RouteMetadata } from './route-metadata';

const FLAG = 'spec:flag';

@SetMetadata(FLAG, 'controller')
class Flagged {
  @SetMetadata(FLAG, 'handler')
  own(): void {}

  inherited(): void {}
}

const contextOf = (controller: object, handler: object) => ({ getClass: () => controller, getHandler: () => handler }) as unknown as ExecutionContext;

describe('RouteMetadata', () => {
  it("reads as Reflector.getAllAndOverride does (the handler's over its controller's), once per handler and controller", () => {
    const reflector = new Reflector();
    const reads = jest.spyOn(reflector, 'getAllAndOverride');
    const flag = new RouteMetadata<string>(reflector, FLAG);
    expect(flag.of(contextOf(Flagged, Flagged.prototype.own))).toBe('handler');
    expect(flag.of(contextOf(Flagged, Flagged.prototype.own))).toBe('handler');
    expect(flag.of(contextOf(Flagged, Flagged.prototype.inherited))).toBe('controller');
    class Unflagged {}
    expect(flag.of(contextOf(Unflagged, Flagged.prototype.inherited))).toBeUndefined();
    expect(flag.of(contextOf(Unflagged, Flagged.prototype.inherited))).toBeUndefined();
    expect(reads).toHaveBeenCalledTimes(3);
  });
});
