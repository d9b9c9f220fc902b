import { describe, expect, it } from 'vitest';
import { decodeLogTail, parseReport } from './report';

describe('parseReport', () => {
  it('reads a cold start from the AWS documentation', () => {
    const log = [
      'START RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95 Version: $LATEST',
      'END RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95',
      'REPORT RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95\tDuration: 2.21 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 180.46 ms\t',
    ].join('\n');
    expect(parseReport(log)).toEqual({
      requestId: '8f507cfc-xmpl-4697-b07a-ac58fc914c95',
      durationMs: 2.21,
      billedDurationMs: 3,
      memorySizeMb: 128,
      maxMemoryUsedMb: 70,
      initDurationMs: 180.46,
    });
  });

  it('reads a warm start, with X-Ray fields after it', () => {
    const line =
      'REPORT RequestId: 3604209a-e9a3-11e6-939a-754dd98c7be3\tDuration: 12.34 ms\tBilled Duration: 100 ms\tMemory Size: 128 MB\tMax Memory Used: 18 MB\t\nXRAY TraceId: 1-5e8a1b2c-3d4e5f60718293a4b5c6d7e8\tSegmentId: 1a2b3c4d5e6f7a8b\tSampled: true';
    const figures = parseReport(line);
    expect(figures?.billedDurationMs).toBe(100);
    expect(figures?.maxMemoryUsedMb).toBe(18);
    expect(figures?.initDurationMs).toBeNull();
  });

  it('finds nothing in a tail cut before the REPORT line', () => {
    expect(parseReport('START RequestId: x Version: $LATEST\nhello\n')).toBeNull();
  });
});

describe('decodeLogTail', () => {
  it('decodes base64 of UTF-8', () => {
    expect(decodeLogTail(btoa(String.fromCharCode(...new TextEncoder().encode('value1 = é\n'))))).toBe('value1 = é\n');
    expect(decodeLogTail(null)).toBe('');
  });
});
