import { IsString } from 'class-validator';
import { IsId } from './IsId.js';

export class AddRemoveUsersBody {
  @IsId()
  group_id!: string;

  @IsId()
  user_id!: string;

  /** `add` or `remove`; anything else is invalid_action, not a validation failure. */
  @IsString()
  action!: string;
}
