import { describe, expect, it } from 'vitest';
import { endpoint } from './endpoint';

describe('endpoint', () => {
  it('brackets an IPv6 address before its port, as MML and the trace write it', () => {
    expect(endpoint('fd00:31::5', 40043)).toBe('[fd00:31::5]:40043');
    expect(endpoint('192.0.2.7', 5060)).toBe('192.0.2.7:5060');
  });
});
