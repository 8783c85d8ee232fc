import { IsOptional, ValidateIf } from 'class-validator';
import { IsId } from './IsId.js';

/** For block_user and unblock_user; `block_user_id` is the seed's name for the same field. */
export class BlockUserBody {
  @ValidateIf((body: BlockUserBody) => body.block_user_id === undefined)
  @IsId()
  blocked_user_id?: string;

  @IsOptional()
  @IsId()
  block_user_id?: string;

  get target(): string {
    return (this.blocked_user_id ?? this.block_user_id)!;
  }
}
