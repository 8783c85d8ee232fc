// Reading a request body: content type, size, JSON, then the route's class-validator DTO.
import { validate, type ValidationError } from 'class-validator';
import { DomainError, type FieldProblem } from '../../core/DomainError.js';
import type { ApiRequest } from './ApiRequest.js';
import { TransportError } from './errorStatus.js';

export const MAX_BODY_BYTES = 64 * 1024;

export function payloadTooLarge(): TransportError {
  return new TransportError('payload_too_large', `The body must be at most ${MAX_BODY_BYTES} bytes (64 KiB).`);
}

/** The JSON object a POST carries. A missing content type counts as JSON. */
export function readJsonObject(request: ApiRequest): Record<string, unknown> {
  if (request.body.length > MAX_BODY_BYTES) throw payloadTooLarge();
  const contentType = request.headers['content-type'];
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== undefined && mediaType !== '' && mediaType !== 'application/json') {
    throw new TransportError('unsupported_media_type', 'The body must be sent as application/json.');
  }
  let value: unknown;
  try {
    value = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new TransportError('invalid_json', 'The body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TransportError('invalid_json', 'The body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/** The body as an instance of `dto`, or validation_failed naming every bad field. Unknown fields are dropped. */
export async function toDto<T extends object>(dto: new () => T, json: Record<string, unknown>): Promise<T> {
  const instance = new dto();
  for (const [key, value] of Object.entries(json)) {
    // JSON.parse makes "__proto__" an own key; copying it would replace the prototype.
    if (key !== '__proto__') (instance as Record<string, unknown>)[key] = value;
  }
  const errors = await validate(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new DomainError('validation_failed', 'The request is not valid.', errors.map(fieldProblem));
  }
  return instance;
}

function fieldProblem(error: ValidationError): FieldProblem {
  const field = error.property;
  if (error.value === undefined) return { field, message: `${field} is required.` };
  const [first] = Object.values(error.constraints ?? {});
  return { field, message: `${first ?? `${field} is not valid`}.` };
}
