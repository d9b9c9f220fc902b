import { describe, expect, it } from 'vitest';
import { jsonProblem } from './json';

describe('jsonProblem', () => {
  it('accepts valid JSON', () => {
    expect(jsonProblem('{"key1": "value1"}')).toBeNull();
    expect(jsonProblem('"Hello World"')).toBeNull();
  });

  it('points at a trailing comma', () => {
    const problem = jsonProblem('{\n  "key1": "value1",\n}');
    expect(problem).toMatchObject({ line: 3, column: 1 });
    expect(problem?.message).toContain('Line 3, column 1');
  });

  it('points at a missing quote inside a line', () => {
    expect(jsonProblem('{"key1": value1}')).toMatchObject({ line: 1, column: 10 });
  });

  it('says an empty event is not one', () => {
    expect(jsonProblem('  ')?.message).toContain('empty');
  });
});
