import { describe, expect, it } from 'vitest';
import { parseRange } from './archive-response';

describe('parseRange', () => {
  it('reads an open, a closed and a suffix range', () => {
    expect(parseRange('bytes=100-', 1000)).toEqual([100, 999]);
    expect(parseRange('bytes=0-499', 1000)).toEqual([0, 499]);
    expect(parseRange('bytes=-200', 1000)).toEqual([800, 999]);
  });

  it('clips an end past the file', () => {
    expect(parseRange('bytes=900-5000', 1000)).toEqual([900, 999]);
  });

  it('says a range that starts past the end cannot be satisfied', () => {
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 1000)).toBe('unsatisfiable');
  });

  it('sends the whole file for no range, several ranges, or another unit', () => {
    expect(parseRange(null, 1000)).toBeNull();
    expect(parseRange('bytes=0-1,5-6', 1000)).toBeNull();
    expect(parseRange('items=0-1', 1000)).toBeNull();
  });
});
