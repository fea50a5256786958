// The errors the insights throw for a request they cannot answer: a parameter they refuse, and a
// record the shop does not have. Routes turn them into a 400 with the reason and a 404.

/** A request the insights cannot answer as asked (an invalid range, sort, page, threshold…). */
export class InsightsInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = "InsightsInputError";
    this.field = field;
  }
}

/** Thrown for a record the shop does not have (unknown, deleted, another shop's, not an id). */
export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}
