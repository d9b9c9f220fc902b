import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppError, ProfileView } from '$lib/ipc';
import { session } from '$lib/stores/session.svelte';
import { regions, resetSession, work } from '$lib/testing';
import ProfileForm from './ProfileForm.svelte';

const rejected: AppError = {
  kind: 'AccessDenied',
  message: 'Could not identify the account: The security token included in the request is invalid.',
  hint: 'AWS rejected this profile’s keys: check the access key id and secret, or create new keys in IAM.',
  field: null,
};

let calls: { cmd: string; args: unknown }[] = [];

function backend(verify: () => unknown) {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === 'verify_keys') return verify();
    if (cmd === 'add_profile') return work;
    throw `unexpected command ${cmd}`;
  });
}

async function typeKeys() {
  await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Work' } });
  await fireEvent.input(screen.getByLabelText('Access key id'), { target: { value: 'AKIAIOSFODNN7EXAMPLE' } });
  await fireEvent.input(screen.getByLabelText('Secret access key'), { target: { value: 'wJalrXUtnFEMI' } });
}

beforeEach(() => {
  resetSession();
  session.regions = regions;
  session.keyring = { available: true, problem: null };
});
afterEach(() => clearMocks());

describe('the add-profile form', () => {
  it('shows the account and ARN before saving', async () => {
    backend(() => ({ accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/ann' }));
    const onsaved = vi.fn<(profile: ProfileView) => void>();
    render(ProfileForm, { onsaved, oncancel: () => {} });
    await typeKeys();
    await fireEvent.click(screen.getByRole('button', { name: 'Verify keys' }));
    expect((await screen.findByTestId('identity-account')).textContent).toBe('111111111111');
    expect(calls.map((c) => c.cmd)).toEqual(['verify_keys']);
    await fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await vi.waitFor(() => expect(onsaved).toHaveBeenCalledWith(work));
    expect(calls[1]?.args).toEqual({
      settings: { name: 'Work', defaultRegion: 'us-east-1', production: false },
      keys: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI', sessionToken: null, endpointUrl: null },
      sessionOnly: false,
    });
  });

  it('saves rejected keys only when asked, keeping what was typed', async () => {
    backend(() => {
      throw rejected;
    });
    const onsaved = vi.fn<(profile: ProfileView) => void>();
    render(ProfileForm, { onsaved, oncancel: () => {} });
    await typeKeys();
    await fireEvent.click(screen.getByRole('button', { name: 'Verify keys' }));
    expect((await screen.findByTestId('form-error')).textContent).toContain('rejected');
    expect(calls.map((c) => c.cmd)).toEqual(['verify_keys']);
    expect((screen.getByLabelText('Access key id') as HTMLInputElement).value).toBe('AKIAIOSFODNN7EXAMPLE');
    await fireEvent.click(screen.getByRole('button', { name: 'Save anyway' }));
    await vi.waitFor(() => expect(onsaved).toHaveBeenCalled());
  });

  it('highlights the field a validation error names', async () => {
    backend(() => {
      throw { kind: 'Validation', message: 'Access key id is not in AWS’s form.', hint: null, field: 'accessKeyId' };
    });
    render(ProfileForm, { onsaved: () => {}, oncancel: () => {} });
    await typeKeys();
    await fireEvent.click(screen.getByRole('button', { name: 'Verify keys' }));
    await screen.findByTestId('form-error');
    expect(screen.getByLabelText('Access key id').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Secret access key').getAttribute('aria-invalid')).toBe('false');
  });

  it('keeps keys for the session only when the keyring is down', async () => {
    session.keyring = {
      available: false,
      problem: { kind: 'Keyring', message: 'Could not open the OS keyring.', hint: null, field: null },
    };
    backend(() => ({ accountId: '111111111111', arn: 'arn' }));
    render(ProfileForm, { onsaved: () => {}, oncancel: () => {} });
    const sessionOnly = screen.getByTestId('session-only') as HTMLInputElement;
    expect(sessionOnly.checked).toBe(true);
    expect(sessionOnly.disabled).toBe(true);
    await typeKeys();
    await fireEvent.click(screen.getByRole('button', { name: 'Verify keys' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Save profile' }));
    await vi.waitFor(() => expect(calls[1]?.cmd).toBe('add_profile'));
    expect((calls[1]?.args as { sessionOnly: boolean }).sessionOnly).toBe(true);
  });
});
