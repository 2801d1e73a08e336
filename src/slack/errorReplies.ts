/**
 * Service errors → one friendly line for Slack. The services word their refusals for people; this
 * only picks the line (a hidden budget gets the "managed by an admin" answer) and never shows a
 * stack: anything unexpected is logged and answered with a generic line.
 */
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { line, type SlackMessage } from './blocks/format.js';
import { HIDDEN_BUDGET_LINE, INTERNAL_ERROR_LINE } from './blocks/messages.js';

const FIELD_NAMES: Record<string, string> = {
  limitMicros: 'The limit',
  limitCeilingMicros: 'The ceiling',
  _: 'The reason',
};

const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

function validationLine(error: ValidationError): string {
  const [field, messages] = Object.entries(error.fields)[0] ?? [];
  if (field === undefined || messages === undefined || messages.length === 0) return sentence(error.message);
  return sentence(`${FIELD_NAMES[field] ?? `The ${field}`} ${messages.join(', ')}`);
}

export function replyForError(error: unknown, logger: Logger, what: string): SlackMessage {
  if (error instanceof ForbiddenError) {
    return line(error.code === 'budget_hidden' ? HIDDEN_BUDGET_LINE : `:no_entry_sign: ${sentence(error.message)}`);
  }
  if (error instanceof ValidationError) return line(`:warning: ${validationLine(error)}`);
  if (error instanceof ConflictError || error instanceof NotFoundError) return line(sentence(error.message));
  if (error instanceof DomainError) return line(`:warning: ${sentence(error.message)}`);
  logger.error({ err: error, what }, 'Slack request failed');
  return line(INTERNAL_ERROR_LINE);
}
