// The function list across every Lambda region of a profile. Regions arrive as each is done (a few
// are listed at once on the Rust side); a region that failed keeps its error beside the others.
// Only the latest request's regions are kept, so a switch of profile never mixes two accounts.
import {
  listFunctionsEverywhere,
  toAppError,
  type AppError,
  type FunctionSummary,
  type RegionFunctions,
} from '$lib/ipc';

type Fetch = (profileId: string, onRegion: (region: RegionFunctions) => void) => Promise<RegionFunctions[]>;

/** The region a Lambda function's ARN names: `arn:aws:lambda:<region>:<account>:function:<name>`. */
export function regionOfArn(arn: string): string {
  return arn.split(':')[3] ?? '';
}

export class EverywhereLoader {
  regions = $state.raw<RegionFunctions[]>([]);
  loading = $state(false);
  error = $state<AppError | null>(null);
  profileId = $state<string | null>(null);
  #latestRequest = 0;
  #fetch: Fetch;

  constructor(fetch: Fetch = listFunctionsEverywhere) {
    this.#fetch = fetch;
  }

  async load(profileId: string): Promise<void> {
    const request = ++this.#latestRequest;
    this.profileId = profileId;
    this.regions = [];
    this.error = null;
    this.loading = true;
    // A region's message can come after the command's answer (Tauri fetches a large one
    // separately); the answer already holds it, so a late one would list that region twice.
    let answered = false;
    const onRegion = (done: RegionFunctions) => {
      if (!answered && request === this.#latestRequest) this.regions = [...this.regions, done];
    };
    try {
      const everywhere = await this.#fetch(profileId, onRegion);
      answered = true;
      if (request === this.#latestRequest) this.regions = everywhere;
    } catch (reason) {
      answered = true;
      if (request === this.#latestRequest) this.error = toAppError(reason);
    } finally {
      if (request === this.#latestRequest) this.loading = false;
    }
  }

  /** Every function listed so far, by name and then region. */
  get functions(): FunctionSummary[] {
    return this.regions
      .flatMap((region) => region.list?.functions ?? [])
      .sort((a, b) => a.name.localeCompare(b.name) || regionOfArn(a.arn).localeCompare(regionOfArn(b.arn)));
  }

  /** The regions that could not be listed, with why. */
  get failed(): RegionFunctions[] {
    return this.regions.filter((region) => region.error !== null);
  }
}
