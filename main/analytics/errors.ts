// The one error the analytics raise: inputs that break a documented precondition (dates out of
// order, duplicate dates, malformed decimals). Messages are fixed words: never a value or a name.
import { UserFacingError } from '../../shared/errors';

export class AnalyticsInputError extends UserFacingError {
  constructor(message: string) {
    super('ANALYTICS_INPUT_INVALID', message);
  }
}
