import type { ServiceName } from './callLog';
import type { Input } from './inputFields';

/**
 * How a service's requests are recognised on the wire (awsWire.ts): awsJson by the `X-Amz-Target` prefix, restJson1
 * by method and path; a path may hold `{Name}` segments, which arrive as input members (URI-bound members).
 */
export type WireBinding =
  | { protocol: 'awsJson1_0' | 'awsJson1_1'; targetPrefix: string }
  | { protocol: 'restJson1'; routes: readonly RestRoute[] };

export interface RestRoute {
  method: string;
  path: string;
  operation: string;
  /** The member bound to the whole body, raw (a blob payload such as Lambda's callback `Result`), instead of JSON. */
  payload?: string;
}

/** What the HTTP layer needs from each stand-in: run one operation on a parsed request. */
export interface StandinService {
  readonly service: ServiceName;
  readonly wire: WireBinding;
  /** Operation names this stand-in implements (others answer UnknownOperationException). */
  readonly operations: readonly string[];
  /**
   * Runs the operation; throws AwsError for documented failures. `caller` is the access key id the
   * request was signed with (the stand-ins check no signatures).
   */
  handle(operation: string, input: Input, caller: string): unknown | Promise<unknown>;
  /**
   * An event handed to the running stack (`npm run event`) announces a wait this service would already hold in AWS
   * (a state machine reaches its Task before it puts the event): hold it too, so the walkthrough can be carried to
   * the end. Waits the service already knows are left as they are.
   */
  adoptAnnouncedWait?(event: unknown): void;
}

/**
 * The base of every stand-in that keeps state: the state (saved to the state file after each change by `changed`),
 * the clock, and the snapshot / replace pair the stand-in server persists and resets.
 */
export abstract class StatefulStandin<State> {
  constructor(
    protected state: State,
    protected readonly now: () => Date,
    protected readonly changed: () => void,
  ) {}

  get snapshot(): State {
    return this.state;
  }

  replaceState(state: State): void {
    this.state = state;
  }
}
