import { startTracing, tracingEnabled } from './tracing';
import { samplerFromEnv } from './tracing-sdk';

describe('samplerFromEnv (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG)', () => {
  it.each([
    [{}, 'ParentBased{root=AlwaysOnSampler, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}'],
    [{ OTEL_TRACES_SAMPLER: 'always_on' }, 'AlwaysOnSampler'],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, 'AlwaysOffSampler'],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, 'TraceIdRatioBased{0.25}'],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }, 'ParentBased{root=TraceIdRatioBased{0.1},'],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, 'ParentBased{root=AlwaysOffSampler,'],
    // A ratio that is not one, or a name nobody knows: the default, not a crash.
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' }, 'TraceIdRatioBased{1}'],
    [{ OTEL_TRACES_SAMPLER: 'jaeger_remote' }, 'ParentBased{root=AlwaysOnSampler,'],
  ])('%j -> %s', (env, description) => {
    expect(samplerFromEnv(env as NodeJS.ProcessEnv).toString()).toContain(description);
  });
});

describe('startTracing', () => {
  it('stays off without OTEL_EXPORTER_OTLP_ENDPOINT, or with OTEL_SDK_DISABLED', () => {
    startTracing('test', {});
    startTracing('test', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' });
    expect(tracingEnabled()).toBe(false);
  });
});
