/**
 * Field errors in the API's own words. Route schemas already use the API's snake_case names; the
 * services name fields in their internal units (limitMicros), so their errors are renamed here
 * before a client sees them.
 */
import type { z } from 'zod';
import type { FieldErrors } from '../../domain/errors.js';

/** Internal names whose API name is not just the snake_case form (a Map: names may come from clients). */
const RENAMED = new Map<string, string>([
  ['limitMicros', 'monthly_limit_usd'],
  ['limitCeilingMicros', 'limit_ceiling_usd'],
  ['costMicros', 'cost_usd'],
  ['estimatedCostMicros', 'estimated_cost_usd'],
  ['occurredAt', 'timestamp'],
  // parseOrThrow on a bare value (a user id) reports the field as "_".
  ['_', 'user_id'],
]);

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** "events.3.costMicros" → "events.3.cost_usd"; "thresholds.orange" stays as it is. */
export function apiFieldName(internal: string): string {
  return internal
    .split('.')
    .map((part) => RENAMED.get(part) ?? snake(part))
    .join('.');
}

/** "Invalid request: user_id: is required; model: must not be empty": every field, in the API's names. */
export function invalidRequestMessage(fields: FieldErrors): string {
  const summary = Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
    .join('; ');
  return `Invalid request: ${summary}`;
}

export function apiFieldErrors(fields: FieldErrors): FieldErrors {
  const out = new FieldErrorList();
  for (const [field, messages] of Object.entries(fields)) for (const message of messages) out.add(apiFieldName(field), message);
  return out.toObject();
}

/**
 * Field errors gathered in a Map: field names come from clients, and a plain object would take
 * "__proto__" as its prototype rather than as a field.
 */
export class FieldErrorList {
  private readonly fields = new Map<string, string[]>();

  add(field: string, message: string): void {
    const messages = this.fields.get(field);
    if (messages) messages.push(message);
    else this.fields.set(field, [message]);
  }

  get size(): number {
    return this.fields.size;
  }

  /** Own properties only (Object.fromEntries defines "__proto__" as a plain key). */
  toObject(): FieldErrors {
    return Object.fromEntries(this.fields);
  }
}

/**
 * A zod error of a route schema (path, query or body) as field errors. Unknown keys are named one by one ("foo": is not a known field) rather than lumped under the
 * object that held them.
 */
export function zodFieldErrors(error: z.ZodError, out = new FieldErrorList()): FieldErrorList {
  const add = (path: readonly PropertyKey[], message: string) => {
    // Only a body can be wrong as a whole (query and path are always objects).
    out.add(path.map(String).join('.') || 'body', message);
  };
  const collect = (issues: readonly z.core.$ZodIssue[], base: readonly PropertyKey[]) => {
    for (const issue of issues) {
      const path = [...base, ...issue.path];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) add([...path, key], 'is not a known field');
      } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
        // "One of these shapes": say so, then explain against the shape the input came closest to.
        add(path, issue.message);
        collect(closestBranch(issue.errors), path);
      } else {
        add(path, issue.message);
      }
    }
  };
  collect(error.issues, []);
  return out;
}

function closestBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] {
  return branches.reduce((best, branch) => (branch.length < best.length ? branch : best));
}
