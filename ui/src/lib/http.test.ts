import { describe, expect, it } from 'vitest';
import { headerValue, parseHeaderLines, readableBody } from './http';

describe('Call it requests', () => {
  it('reads header lines, keeping colons in values', () => {
    expect(parseHeaderLines('Content-Type: application/json\n\n  x-api-key:abc:def  \nX-Empty')).toEqual([
      { name: 'Content-Type', value: 'application/json' },
      { name: 'x-api-key', value: 'abc:def' },
      { name: 'X-Empty', value: '' },
    ]);
  });

  it('pretty-prints JSON bodies and leaves others alone', () => {
    expect(readableBody('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(readableBody('plain text')).toBe('plain text');
  });

  it('finds a header whatever its case', () => {
    expect(headerValue([{ name: 'Content-Type', value: 'text/html' }], 'content-type')).toBe('text/html');
    expect(headerValue([], 'x')).toBeNull();
  });
});
