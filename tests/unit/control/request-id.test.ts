// A console request's id (echoed in its answer so the console can match them) of a wrong type: the
// answer names the field, as for every other (it said "Invalid type: Expected (number | string) but
// received Object", naming none).
import { describe, expect, it } from 'vitest';
import { validateRequest } from '../../../core/control/contract';

const error = (x: unknown): string => {
  const checked = validateRequest(x);
  return 'error' in checked ? checked.error : '';
};

describe('a request id', () => {
  it('of a wrong type is refused naming the field, whatever the request', () => {
    for (const request of [
      { op: 'execute', mml: 'LST VER', id: {} },
      { op: 'snapshot', name: 'status', id: [1] },
      { op: 'snapshot', name: 'users', id: null },
      { op: 'subscribe', topics: ['log'], id: true },
    ])
      expect(error(request)).toBe('id: expected a number or a string (echoed in the answer)');
  });

  it('a number or a string, or none, is taken', () => {
    for (const id of [7, 'a-1', undefined])
      expect(validateRequest({ op: 'execute', mml: 'LST VER', id })).toHaveProperty('value');
  });
});
