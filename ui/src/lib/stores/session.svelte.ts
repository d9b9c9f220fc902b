// Which profile and region the app shows, and the profiles to choose from. Switching changes only
// this selection: every view asks the back end with the selection it was given and drops answers
// tagged with another one, so a switch can never show one account's data under another.
import {
  keyringStatus,
  listProfiles,
  listRegions,
  recheckKeyring,
  selectContext,
  toAppError,
  type AppError,
  type ContextTag,
  type KeyringStatus,
  type ProfileView,
  type ProfilesOverview,
  type RegionInfo,
  type Selection,
} from '$lib/ipc';

/** Whether a tagged answer (or a selection) belongs to the profile and region on screen. */
export function sameContext(tag: Selection, selection: Selection | null): boolean {
  return selection !== null && tag.profileId === selection.profileId && tag.region === selection.region;
}

export class Session {
  profiles = $state<ProfileView[]>([]);
  regions = $state<RegionInfo[]>([]);
  selection = $state<Selection | null>(null);
  /** Why the saved profiles could not be read at start, if they could not. */
  problem = $state<AppError | null>(null);
  loadError = $state<AppError | null>(null);
  keyring = $state<KeyringStatus | null>(null);
  /** Why the last choice could not be saved for the next start; the switch itself still happened. */
  rememberError = $state<AppError | null>(null);
  /** Account ids learned from tagged results, by profile and region. */
  accounts = $state<Record<string, string>>({});

  noteAccount(tag: ContextTag): void {
    const key = `${tag.profileId}|${tag.region}`;
    if (this.accounts[key] !== tag.accountId) this.accounts[key] = tag.accountId;
  }

  /** The account of the selection, once a result under it has said which. */
  get accountId(): string | null {
    const selection = this.selection;
    return selection ? (this.accounts[`${selection.profileId}|${selection.region}`] ?? null) : null;
  }

  get profile(): ProfileView | null {
    return this.profiles.find((p) => p.id === this.selection?.profileId) ?? null;
  }

  regionName(code: string): string {
    return this.regions.find((r) => r.code === code)?.name ?? code;
  }

  async load(): Promise<void> {
    this.loadError = null;
    try {
      const [overview, regions] = await Promise.all([listProfiles(), listRegions()]);
      this.profiles = overview.profiles;
      this.regions = regions;
      this.problem = overview.problem;
      this.selection ??= overview.selection;
    } catch (reason) {
      this.loadError = toAppError(reason);
    }
  }

  /** Reloads the profile list after an add, edit or delete; a deleted selection falls back. */
  async reloadProfiles(): Promise<void> {
    this.adopt(await listProfiles());
  }

  /** Takes the profiles the back end answered with, such as the sandbox's new URL. */
  adopt(overview: ProfilesOverview): void {
    this.profiles = overview.profiles;
    if (!this.profile) this.selection = overview.selection;
  }

  async select(profileId: string, region: string): Promise<void> {
    this.selection = { profileId, region };
    this.rememberError = null;
    try {
      await selectContext({ profileId, region });
    } catch (reason) {
      this.rememberError = toAppError(reason);
    }
  }

  async checkKeyring(again = false): Promise<void> {
    try {
      this.keyring = again ? await recheckKeyring() : await keyringStatus();
    } catch (reason) {
      this.keyring = { available: false, problem: toAppError(reason) };
    }
  }
}

export const session = new Session();
