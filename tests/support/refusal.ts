import { DomainError } from "../../models/errors";

/**
 * The DomainError `work` is refused with, for a test to look at its code, params and status. A
 * success fails the test ("expected a refusal"), and any other error is thrown on as it came,
 * so a crash is never mistaken for a refusal.
 */
export async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const outcome = await work.then(
    () => new Error("expected a refusal"),
    (error: unknown) => error,
  );
  if (!(outcome instanceof DomainError)) throw outcome;
  return outcome;
}
