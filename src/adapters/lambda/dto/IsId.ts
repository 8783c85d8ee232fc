import { IsString, Length, ValidateBy, buildMessage } from 'class-validator';
import { Limits } from '../../../core/Limits.js';

/** A user, group or message id: 1 to 64 characters (SPEC 1). Whether it exists is the use case's question. */
export function IsId(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    Length(1, Limits.idMaxChars, { message: `$property must be 1 to ${Limits.idMaxChars} characters` })(target, key);
  };
}

/** `"user-1, user-2"` (the seed's form) or `["user-1", "user-2"]`, each id at most 64 characters. */
export function IsIdList(): PropertyDecorator {
  return ValidateBy({
    name: 'isIdList',
    validator: {
      validate: (value: unknown) =>
        (typeof value === 'string' || (Array.isArray(value) && value.every((id) => typeof id === 'string'))) &&
        parseIdList(value).every((id) => id.length <= Limits.idMaxChars),
      defaultMessage: buildMessage(
        (each) =>
          `${each}$property must be a comma-separated string or an array of ids, each at most ${Limits.idMaxChars} characters`,
      ),
    },
  });
}

/** The ids of an IsIdList value: trimmed, empty entries dropped. */
export function parseIdList(value: string | readonly string[]): string[] {
  const items = typeof value === 'string' ? value.split(',') : value;
  return items.map((id) => id.trim()).filter((id) => id.length > 0);
}
