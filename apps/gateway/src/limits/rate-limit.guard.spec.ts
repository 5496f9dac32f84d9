import { addressKey } from './rate-limit.guard';

describe('addressKey', () => {
  it('counts IPv4 addresses (also IPv4-mapped) one by one', () => {
    expect(addressKey('198.51.100.7')).toBe('ip:198.51.100.7');
    expect(addressKey('::ffff:198.51.100.7')).toBe('ip:198.51.100.7');
  });

  it('counts IPv6 addresses by their /64, however they are written', () => {
    const a = addressKey('2001:db8:85a3:0:1:2:3:4');
    expect(a).toBe('ip6:2001:db8:85a3:0::/64');
    expect(addressKey('2001:db8:85a3::ffff')).toBe(a);
    expect(addressKey('2001:0DB8:85A3:0000:abcd::1')).toBe(a);
    expect(addressKey('2001:db8:85a4::1')).not.toBe(a);
    expect(addressKey('::1')).toBe('ip6:0:0:0:0::/64');
  });
});
