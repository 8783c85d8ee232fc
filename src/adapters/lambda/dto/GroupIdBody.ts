import { IsId } from './IsId.js';

/** For get_group. */
export class GroupIdBody {
  @IsId()
  group_id!: string;
}
