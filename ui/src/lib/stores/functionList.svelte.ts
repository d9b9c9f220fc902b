// The function list's state. Only the answer to the latest request is shown, and only when it was
// listed under the profile and region it was asked for: a slow answer for an earlier choice is
// dropped instead of appearing under the wrong account.
import { listFunctions, toAppError, type AppError, type FunctionList } from '$lib/ipc';
import { sameContext } from './session.svelte';

export type FunctionListState =
  | { status: 'idle' }
  | { status: 'loading'; previous: FunctionList | null }
  | { status: 'loaded'; list: FunctionList }
  | { status: 'error'; error: AppError };

type Fetch = (profileId: string, region: string) => Promise<FunctionList>;

export class FunctionListLoader {
  state = $state<FunctionListState>({ status: 'idle' });
  #latestRequest = 0;
  #fetch: Fetch;

  constructor(fetch: Fetch = listFunctions) {
    this.#fetch = fetch;
  }

  async load(profileId: string, region: string): Promise<void> {
    const request = ++this.#latestRequest;
    const previous = this.#shownList(profileId, region);
    this.state = { status: 'loading', previous };
    try {
      const list = await this.#fetch(profileId, region);
      if (request !== this.#latestRequest) return;
      if (list.context.profileId !== profileId || list.context.region !== region) return;
      this.state = { status: 'loaded', list };
    } catch (reason) {
      if (request !== this.#latestRequest) return;
      this.state = { status: 'error', error: toAppError(reason) };
    }
  }

  /** The list on screen: the loaded one, or while reloading the one shown before. */
  get shown(): FunctionList | null {
    if (this.state.status === 'loaded') return this.state.list;
    return this.state.status === 'loading' ? this.state.previous : null;
  }

  /** The list on screen, kept visible while the same profile and region reload. */
  #shownList(profileId: string, region: string): FunctionList | null {
    const list = this.shown;
    return list && sameContext(list.context, { profileId, region }) ? list : null;
  }
}
