import { DomainError, PlainError } from "../errors";

/** Station settings or a call-list request the station does not accept; `field` names it. */
export class InvalidReachInput extends DomainError {
  constructor(field: string) {
    super("reach_input_invalid", 422, { field });
  }
}

/** A call marked for someone who is not booked on that session, or not on this caller's list: nothing to mark. */
export class NotOnCallList extends PlainError("call_not_on_list", 404) {}
