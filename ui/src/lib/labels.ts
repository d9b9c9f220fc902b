// Words for the kinds of profiles and credentials, shared by the switcher and the profiles page.
import type { ProfileView, SharedKind } from '$lib/ipc';

export const sharedKindLabels: Record<SharedKind, string> = {
  StaticKeys: 'Access keys',
  Sso: 'IAM Identity Center (SSO)',
  AssumeRole: 'Assumes a role',
  CredentialProcess: 'credential_process',
  WebIdentity: 'Web identity token',
  NoCredentials: 'No credentials',
};

/** One line saying where a profile's credentials come from; never a secret. */
export function credentialSummary(profile: ProfileView): string {
  switch (profile.kind) {
    case 'Sandbox':
      return `Local emulator at ${profile.endpointUrl ?? ''}`;
    case 'Keys': {
      const where = profile.keyStorage === 'Session' ? 'this session only' : 'OS keyring';
      const endpoint = profile.endpointUrl ? ` · endpoint ${profile.endpointUrl}` : '';
      return `Key ${profile.maskedKeyId ?? ''} · ${where}${endpoint}`;
    }
    case 'Shared':
      return `~/.aws profile “${profile.sharedProfile ?? ''}” · ${profile.sharedKind ? sharedKindLabels[profile.sharedKind] : ''}`;
  }
}
