import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError, listFunctions, toAppError, type AppError, type FunctionList } from '.';

afterEach(() => clearMocks());

const list: FunctionList = {
  context: { profileId: 'sandbox', region: 'us-east-1', accountId: '123456789012' },
  functions: [],
};

describe('ipc commands', () => {
  it('sends list_functions with camelCase arguments', async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      return list;
    });
    await expect(listFunctions('sandbox', 'us-east-1')).resolves.toEqual(list);
    expect(calls).toEqual([{ cmd: 'list_functions', args: { profileId: 'sandbox', region: 'us-east-1', onPage: expect.anything() } }]);
  });

  it('rejects with the AppError the Rust side returned', async () => {
    const error: AppError = { kind: 'Network', message: 'down', hint: 'start it', field: null };
    mockIPC(() => {
      throw error;
    });
    await expect(listFunctions('sandbox', 'us-east-1')).rejects.toEqual(error);
  });

  it('turns any other failure into an Unknown AppError', async () => {
    mockIPC(() => {
      throw 'command list_functions not found';
    });
    const rejection = await listFunctions('sandbox', 'us-east-1').catch((reason: unknown) => reason);
    expect(isAppError(rejection)).toBe(true);
    expect(rejection).toMatchObject({ kind: 'Unknown', message: expect.stringContaining('not found') });
  });
});

describe('toAppError', () => {
  it('rejects objects whose kind is not an ErrorKind', () => {
    expect(isAppError({ kind: 'Bogus', message: 'x' })).toBe(false);
    expect(toAppError({ kind: 'Bogus', message: 'x' }).kind).toBe('Unknown');
  });

  it('fills missing optional fields with null', () => {
    expect(toAppError({ kind: 'NotFound', message: 'gone' })).toEqual({
      kind: 'NotFound',
      message: 'gone',
      hint: null,
      field: null,
    });
  });
});
