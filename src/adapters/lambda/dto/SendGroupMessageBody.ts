import { IsString } from 'class-validator';
import { IsId } from './IsId.js';

export class SendGroupMessageBody {
  @IsId()
  group_id!: string;

  @IsString()
  message!: string;
}
