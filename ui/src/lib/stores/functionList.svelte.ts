// The function list's state. Only the answer to the latest request is shown, and only when it was
// listed under the profile and region it was asked for: a slow answer for an earlier choice is
// dropped instead of appearing under the wrong account. A first load shows each page of a long
// list as it arrives; a reload keeps the rows on screen until it is whole.
import { listFunctions, toAppError, type AppError, type FunctionList, type FunctionSummary, type Selection } from '$lib/ipc';
import { sameContext } from './session.svelte';

export type FunctionListState =
  | { status: 'idle' }
  | { status: 'loading'; previous: FunctionList | null; partial?: true }
  | { status: 'loaded'; list: FunctionList }
  | { status: 'error'; error: AppError };

type Fetch = (profileId: string, region: string, onPage: (page: FunctionList) => void) => Promise<FunctionList>;

/** The first list, asked for as the app starts: its answer, and its pages kept until a loader takes them. */
class FirstList {
  readonly selection: Selection;
  readonly answer: Promise<FunctionList>;
  #pagesSoFar: FunctionList[] = [];
  #onPage: ((page: FunctionList) => void) | null = null;

  constructor(selection: Selection, fetch: Fetch) {
    this.selection = selection;
    this.answer = fetch(selection.profileId, selection.region, (page) => {
      if (this.#onPage) this.#onPage(page);
      else this.#pagesSoFar.push(page);
    });
    // The loader that takes the answer shows its error; an answer no loader takes fails nobody.
    this.answer.catch(() => {});
  }

  /** The answer; the pages so far go to `onPage` now, and the rest as they come. */
  handTo(onPage: (page: FunctionList) => void): Promise<FunctionList> {
    this.#pagesSoFar.forEach(onPage);
    this.#pagesSoFar = [];
    this.#onPage = onPage;
    return this.answer;
  }
}

let firstList: FirstList | null = null;

/** Asks for the list the list page shows first, before that page has loaded (see hooks.client.ts). */
export function askForFirstList(selection: Selection, fetch: Fetch = listFunctions): void {
  firstList = new FirstList(selection, fetch);
}

/** The first list's answer for the first load, if that load is for the same profile and region. */
function takeFirstList(profileId: string, region: string, onPage: (page: FunctionList) => void): Promise<FunctionList> | null {
  const asked = firstList;
  firstList = null;
  if (!asked || !sameContext(asked.selection, { profileId, region })) return null;
  return asked.handTo(onPage);
}

export class FunctionListLoader {
  // Raw: each answer replaces the state whole, and a deep proxy over a thousand functions would
  // make every filter and every drawn row read them through signals.
  state = $state.raw<FunctionListState>({ status: 'idle' });
  #latestRequest = 0;
  #fetch: Fetch;

  constructor(fetch: Fetch = listFunctions) {
    this.#fetch = fetch;
  }

  async load(profileId: string, region: string): Promise<void> {
    const request = ++this.#latestRequest;
    const previous = this.#shownList(profileId, region);
    this.state = { status: 'loading', previous };
    const arrived: FunctionSummary[] = [];
    // Tauri delivers a large page through the channel after the command's own answer, so a page
    // can come in once the whole list is shown; it must not turn the list back into "so far".
    let answered = false;
    const onPage = (page: FunctionList) => {
      if (answered || previous || request !== this.#latestRequest || !sameContext(page.context, { profileId, region })) return;
      arrived.push(...page.functions);
      const functions = [...arrived].sort((a, b) => (a.name < b.name ? -1 : 1));
      this.state = { status: 'loading', previous: { context: page.context, functions }, partial: true };
    };
    try {
      const list = await (takeFirstList(profileId, region, onPage) ?? this.#fetch(profileId, region, onPage));
      answered = true;
      if (request !== this.#latestRequest) return;
      if (list.context.profileId !== profileId || list.context.region !== region) return;
      this.state = { status: 'loaded', list };
    } catch (reason) {
      answered = true;
      if (request !== this.#latestRequest) return;
      this.state = { status: 'error', error: toAppError(reason) };
    }
  }

  /** The pages of a first load that have arrived, while the rest are read. */
  get partial(): boolean {
    return this.state.status === 'loading' && this.state.partial === true;
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
