/**
 * Typed errors the services throw. Each surface maps them once (HTTP status, Slack usage line, form
 * error), so a service never knows about status codes or Slack blocks.
 */
export type FieldErrors = Record<string, string[]>;

export abstract class DomainError extends Error {
  abstract readonly code: string;
}

/** Bad input: nothing was written. `fields` names each bad field. */
export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(
    message: string,
    readonly fields: FieldErrors = {},
  ) {
    super(message);
  }
}

/** The actor may not do this (or may not see this budget). */
export class ForbiddenError extends DomainError {
  readonly code: string;
  constructor(message: string, code = 'forbidden') {
    super(message);
    this.code = code;
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
}

/** The request conflicts with the current state (e.g. a reset that another request already did). */
export class ConflictError extends DomainError {
  readonly code = 'conflict';
}

/** A usage event names a model with no price and reports no cost: never counted as $0. */
export class UnknownModelError extends DomainError {
  readonly code = 'unknown_model';
  constructor(readonly model: string) {
    super(`No price is known for model "${model}"; report cost_usd or add the model to the price table`);
  }
}

export function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(message, { [field]: [message] });
}
