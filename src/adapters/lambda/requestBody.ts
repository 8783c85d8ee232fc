// Reading a request body: content type, size, JSON, well-formed strings, then the route's
// class-validator DTO, filled from the fields it declares and nothing else.
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { DomainError, type FieldProblem } from '../../core/DomainError.js';
import type { ApiRequest } from './ApiRequest.js';
import { TransportError } from './errorStatus.js';
import { quoted } from './quoted.js';

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
  const body = value as Record<string, unknown>;
  requireShallowWellFormedJson(body);
  return body;
}

/** SPEC 1: deeper than this is 400 invalid_json. The body object itself is the first level. */
export const MAX_JSON_DEPTH = 32;

/**
 * SPEC 1: nesting deeper than MAX_JSON_DEPTH is invalid_json, and a lone surrogate anywhere is a
 * validation failure (left in, UTF-8 encoding turns every lone surrogate into U+FFFD, so different
 * passwords would hash alike). One walk with its own stack, not recursion: a 64 KiB body can nest
 * 32,000 deep, far past the call stack, and nothing here may throw anything but these two errors.
 */
function requireShallowWellFormedJson(body: Record<string, unknown>): void {
  const badFields = new Set<string>();
  const pending: { value: unknown; depth: number; field: string }[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (!field.isWellFormed()) badFields.add(field);
    pending.push({ value, depth: 2, field });
  }
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, depth, field } = next;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) badFields.add(field);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      throw new TransportError('invalid_json', `The body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
    }
    if (Array.isArray(value)) {
      for (const inner of value) pending.push({ value: inner, depth: depth + 1, field });
    } else {
      for (const [key, inner] of Object.entries(value)) {
        if (!key.isWellFormed()) badFields.add(field);
        pending.push({ value: inner, depth: depth + 1, field });
      }
    }
  }
  if (badFields.size > 0) {
    throw new DomainError(
      'validation_failed',
      'The request is not valid.',
      // In the body's own order of fields.
      Object.keys(body)
        .filter((field) => badFields.has(field))
        .map((field) => ({ field: quoted(field.toWellFormed()), message: 'Strings must be well-formed Unicode (no lone surrogates).' })),
    );
  }
}

const declared = new Map<Function, readonly string[]>();

/** The properties a DTO class declares through its class-validator decorators. */
function declaredFields(dto: Function): readonly string[] {
  let fields = declared.get(dto);
  if (!fields) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
    fields = [...new Set(metadata.map((m) => m.propertyName))];
    declared.set(dto, fields);
  }
  return fields;
}

/**
 * The body as an instance of `dto`, or validation_failed naming every bad field. Only the fields
 * the DTO declares are copied, so `constructor`, `__proto__`, a getter's name or any other key a
 * client makes up changes nothing. Synchronous: no DTO has an async validator, and class-validator's
 * `validate` wraps every check of every request in promises for nothing.
 */
export function toDto<T extends object>(dto: new () => T, json: Record<string, unknown>): T {
  const instance = new dto() as Record<string, unknown>;
  for (const field of declaredFields(dto)) {
    if (Object.hasOwn(json, field)) instance[field] = json[field];
  }
  const errors = validateSync(instance, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new DomainError('validation_failed', 'The request is not valid.', errors.map(fieldProblem));
  }
  return instance as T;
}

function fieldProblem(error: ValidationError): FieldProblem {
  const field = error.property;
  if (error.value === undefined) return { field, message: `${field} is required.` };
  const [first] = Object.values(error.constraints ?? {});
  return { field, message: `${first ?? `${field} is not valid`}.` };
}
