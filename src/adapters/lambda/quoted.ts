import { Limits } from '../../core/Limits.js';

/** A client's value as an error may quote it: at most Limits.idMaxChars characters (SPEC 1). */
export function quoted(value: string): string {
  const chars = [...value];
  return chars.length <= Limits.idMaxChars ? value : `${chars.slice(0, Limits.idMaxChars - 1).join('')}…`;
}
