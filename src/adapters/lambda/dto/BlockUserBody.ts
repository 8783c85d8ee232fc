import { ValidateIf } from 'class-validator';
import { DomainError } from '../../../core/DomainError.js';
import { IsId } from './IsId.js';

/**
 * For block_user and unblock_user; `block_user_id` is the seed's name for the same field. Both are
 * validated whenever present (null included); one of them is required.
 */
export class BlockUserBody {
  @ValidateIf((body: BlockUserBody) => body.blocked_user_id !== undefined || body.block_user_id === undefined)
  @IsId()
  blocked_user_id?: string;

  @ValidateIf((body: BlockUserBody) => body.block_user_id !== undefined)
  @IsId()
  block_user_id?: string;
}

/** The user to (un)block, from either name; two different values are a validation failure. */
export function blockTarget(body: BlockUserBody): string {
  const { blocked_user_id: named, block_user_id: alias } = body;
  if (named !== undefined && alias !== undefined && named !== alias) {
    throw DomainError.validation('block_user_id', 'blocked_user_id and block_user_id name different users.');
  }
  return (named ?? alias)!;
}
