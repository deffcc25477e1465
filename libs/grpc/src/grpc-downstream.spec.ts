import { dnsTarget } from './grpc-downstream';

describe('dnsTarget', () => {
  it('resolves bare host:port through DNS so every address behind the name is balanced', () => {
    expect(dnsTarget('auth:50051')).toBe('dns:///auth:50051');
    expect(dnsTarget('shop-auth.shop.svc.cluster.local:50051')).toBe('dns:///shop-auth.shop.svc.cluster.local:50051');
  });

  it('keeps explicit schemes', () => {
    expect(dnsTarget('dns:///auth:50051')).toBe('dns:///auth:50051');
    expect(dnsTarget('ipv4:127.0.0.1:1,127.0.0.1:2')).toBe('ipv4:127.0.0.1:1,127.0.0.1:2');
    expect(dnsTarget('unix:///tmp/x.sock')).toBe('unix:///tmp/x.sock');
  });
});
