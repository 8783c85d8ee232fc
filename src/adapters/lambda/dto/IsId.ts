import { IsString, Length, ValidateBy, buildMessage } from 'class-validator';

/** Longest id accepted anywhere; real ids are far shorter. */
export const MAX_ID_CHARS = 128;

/** A user, group or message id: a non-empty string. Whether it exists is the use case's question. */
export function IsId(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    Length(1, MAX_ID_CHARS, { message: `$property must be 1 to ${MAX_ID_CHARS} characters` })(target, key);
  };
}

/** `"user-1, user-2"` (the seed's form) or `["user-1", "user-2"]`. */
export function IsIdList(): PropertyDecorator {
  return ValidateBy({
    name: 'isIdList',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' ||
        (Array.isArray(value) && value.every((id) => typeof id === 'string' && id.length <= MAX_ID_CHARS)),
      defaultMessage: buildMessage(
        (each) => `${each}$property must be a comma-separated string or an array of id strings`,
      ),
    },
  });
}

/** The ids of an IsIdList value: trimmed, empty entries dropped. */
export function parseIdList(value: string | readonly string[]): string[] {
  const items = typeof value === 'string' ? value.split(',') : value;
  return items.map((id) => id.trim()).filter((id) => id.length > 0);
}
