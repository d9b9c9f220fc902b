import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProfileView, SharedProfilesScan } from '$lib/ipc';
import { session } from '$lib/stores/session.svelte';
import { overviewOf, regions, resetSession, sandbox, work } from '$lib/testing';
import Page from './+page.svelte';

const scan: SharedProfilesScan = {
  configFile: '/home/ann/.aws/config',
  credentialsFile: '/home/ann/.aws/credentials',
  profiles: [
    {
      name: 'sso-work',
      kind: 'Sso',
      region: 'eu-central-1',
      maskedKeyId: null,
      roleArn: null,
      sourceProfile: null,
      mfaSerial: null,
      ssoStartUrl: 'https://work.awsapps.com/start',
      alreadyAdded: false,
    },
    {
      name: 'static',
      kind: 'StaticKeys',
      region: null,
      maskedKeyId: 'AKIA…0001',
      roleArn: null,
      sourceProfile: null,
      mfaSerial: null,
      ssoStartUrl: null,
      alreadyAdded: false,
    },
  ],
};

let calls: { cmd: string; args: unknown }[] = [];
let profiles: ProfileView[] = [];

beforeEach(async () => {
  resetSession();
  calls = [];
  profiles = [sandbox, work];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === 'list_profiles') return overviewOf(profiles, sandbox);
    if (cmd === 'list_regions') return regions;
    if (cmd === 'update_profile') {
      const { settings } = args as { settings: { name: string } };
      profiles = [sandbox, { ...work, name: settings.name }];
      return profiles[1];
    }
    if (cmd === 'delete_profile') {
      profiles = [sandbox];
      return null;
    }
    if (cmd === 'scan_shared_profiles') return scan;
    if (cmd === 'import_shared_profile') return { ...work, id: 'p-sso', name: 'sso-work', kind: 'Shared' };
    throw `unexpected command ${cmd}`;
  });
  await session.load();
  session.keyring = { available: true, problem: null };
});
afterEach(() => clearMocks());

const commands = () => calls.map((c) => c.cmd).filter((cmd) => cmd !== 'list_profiles' && cmd !== 'list_regions');

describe('the profiles page', () => {
  it('renames a profile without touching its keys', async () => {
    render(Page);
    await fireEvent.click(screen.getByRole('button', { name: 'Edit Work' }));
    const name = screen.getByLabelText('Name') as HTMLInputElement;
    expect(name.value).toBe('Work');
    expect(screen.queryByLabelText('Secret access key')).toBeNull();
    await fireEvent.input(name, { target: { value: 'Work (EU)' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await vi.waitFor(() => expect(screen.getByText('Saved Work (EU).')).toBeTruthy());
    expect(calls.find((c) => c.cmd === 'update_profile')?.args).toEqual({
      id: 'p-work',
      settings: { name: 'Work (EU)', defaultRegion: 'eu-west-1', production: true },
      keys: null,
      sessionOnly: false,
    });
    expect(screen.getAllByTestId('profile-row').map((row) => row.textContent)).toEqual([
      expect.stringContaining('Local sandbox'),
      expect.stringContaining('Work (EU)'),
    ]);
  });

  it('deletes a profile after confirmation, saying its keys leave the keyring', async () => {
    render(Page);
    await fireEvent.click(screen.getByRole('button', { name: 'Delete Work' }));
    expect(screen.getByTestId('confirm-dialog').textContent).toContain('removed from the OS keyring');
    await fireEvent.click(screen.getByRole('button', { name: 'Delete profile' }));
    await vi.waitFor(() => expect(screen.getByText('Deleted Work.')).toBeTruthy());
    expect(commands()).toEqual(['delete_profile']);
    expect(screen.getAllByTestId('profile-row')).toHaveLength(1);
  });

  it('lists the shared AWS profiles and imports one as it is', async () => {
    render(Page);
    await fireEvent.click(screen.getByRole('button', { name: 'Import from ~/.aws' }));
    const rows = await screen.findAllByTestId('shared-profile');
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringContaining('IAM Identity Center (SSO)'),
      expect.stringContaining('AKIA…0001'),
    ]);
    expect(screen.getAllByRole('button', { name: 'Copy to keyring' })).toHaveLength(1);
    await fireEvent.click(screen.getAllByRole('button', { name: 'Use as is' })[0]!);
    await vi.waitFor(() => expect(screen.getByText('Added')).toBeTruthy());
    expect(calls.find((c) => c.cmd === 'import_shared_profile')?.args).toEqual({
      sharedName: 'sso-work',
      settings: { name: 'sso-work', defaultRegion: 'eu-central-1', production: false },
      mode: 'UseInPlace',
    });
  });

  it('asks whether the keyring works when first opened, not again once it knows', async () => {
    session.keyring = null;
    calls = [];
    mockIPC((cmd) => {
      calls.push({ cmd, args: null });
      if (cmd === 'keyring_status') {
        return {
          available: false,
          problem: { kind: 'Keyring', message: 'No Secret Service answers.', hint: 'Install gnome-keyring.', field: null },
        };
      }
      throw `unexpected command ${cmd}`;
    });
    const first = render(Page);
    await vi.waitFor(() => expect(screen.getByTestId('keyring-problem').textContent).toContain('No Secret Service answers.'));
    first.unmount();
    render(Page);
    expect(screen.getByTestId('keyring-problem')).toBeTruthy();
    expect(commands()).toEqual(['keyring_status']);
  });

  it('shows what is wrong with the keyring and checks again on request', async () => {
    session.keyring = {
      available: false,
      problem: { kind: 'Keyring', message: 'Could not open the OS keyring.', hint: 'Install gnome-keyring.', field: null },
    };
    calls = [];
    mockIPC((cmd) => {
      calls.push({ cmd, args: null });
      if (cmd === 'recheck_keyring') return { available: true, problem: null };
      throw `unexpected command ${cmd}`;
    });
    render(Page);
    expect(screen.getByTestId('keyring-problem').textContent).toContain('Install gnome-keyring.');
    await fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await vi.waitFor(() => expect(screen.queryByTestId('keyring-problem')).toBeNull());
    expect(commands()).toEqual(['recheck_keyring']);
  });
});
