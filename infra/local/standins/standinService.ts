import type { ServiceName } from './callLog';
import type { Input } from './inputFields';

/** What the HTTP layer needs from each stand-in: run one operation on a parsed request. */
export interface StandinService {
  readonly service: ServiceName;
  /** Operation names this stand-in implements (others answer UnknownOperationException). */
  readonly operations: readonly string[];
  /**
   * Runs the operation; throws AwsError for documented failures. `caller` is the access key id the
   * request was signed with (the stand-ins check no signatures).
   */
  handle(operation: string, input: Input, caller: string): unknown | Promise<unknown>;
}
