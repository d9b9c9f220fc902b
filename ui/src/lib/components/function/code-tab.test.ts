import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ChangeReview, CodeReplacement, PackageContents } from '$lib/ipc';
import { isolateEachTest, sandboxBackend } from '$lib/testing';
import CodeTab from './CodeTab.svelte';

const context = { profileId: 'sandbox', region: 'us-east-1', accountId: '123456789012' };
const under = { profileId: 'sandbox', region: 'us-east-1' };

const large: PackageContents = {
  context,
  functionName: 'big',
  codeSha256: 'abc=',
  zippedBytes: 5 * 1024 * 1024,
  files: [
    { path: 'lambda_function.py', sizeBytes: 120, text: null },
    { path: 'vendor/lib.so', sizeBytes: 9_000_000, text: null },
  ],
  handlerFile: 'lambda_function.py',
  notEditable: 'The package is 5.0 MB; the code editor opens packages up to 3 MB, as the Lambda console does.',
};

const review: ChangeReview = {
  reviewed: {
    id: 'plan-3',
    plan: {
      context,
      functionName: 'big',
      steps: [{ summary: 'Deploy s3://builds/big.zip to big and wait until the update is done.', cli: 'aws lambda update-function-code \\\n  --function-name big' }],
    },
    script: '#!/bin/sh\n',
  },
  changes: [],
};

isolateEachTest();

describe('the Code tab', () => {
  it('lists a large package without an editor, says why, and replaces its code from S3 after review', async () => {
    const replacements: CodeReplacement[] = [];
    await sandboxBackend((cmd, args) => {
      if (cmd === 'package_contents') return large;
      if (cmd === 'plan_code_replacement') {
        replacements.push(args.replacement as CodeReplacement);
        return review;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    render(CodeTab, { functionName: 'big', under });
    expect((await screen.findByTestId('not-editable')).textContent).toContain('up to 3 MB');
    expect(screen.getAllByTestId('package-file').map((file) => file.textContent)).toEqual([
      expect.stringContaining('lambda_function.py'),
      expect.stringContaining('vendor/lib.so'),
    ]);
    expect((screen.getByTestId('deploy-code') as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.click(screen.getByRole('button', { name: 'Replace the code…' }));
    await fireEvent.input(screen.getByLabelText('S3 bucket'), { target: { value: ' builds ' } });
    await fireEvent.input(screen.getByLabelText('Key'), { target: { value: 'big.zip' } });
    await fireEvent.click(screen.getByTestId('review-replacement'));
    await screen.findByTestId('change-review');
    expect(replacements).toEqual([{ kind: 's3', bucket: 'builds', key: 'big.zip', version: null }]);
    expect(screen.getByTestId('step-cli').textContent).toContain('update-function-code');
  });

  it('says plainly when the code cannot be had, and retries', async () => {
    let calls = 0;
    await sandboxBackend((cmd) => {
      if (cmd === 'package_contents') {
        calls += 1;
        throw { kind: 'NotFound', message: 'The code of big cannot be had: its Code.Location answered 404.', hint: 'Deploy its code from Lambdesk.', field: null };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    render(CodeTab, { functionName: 'big', under });
    expect((await screen.findByText(/cannot be had/)).textContent).toContain('404');
    await fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(calls).toBe(2);
  });
});
