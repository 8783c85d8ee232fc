import { IsString } from 'class-validator';
import { IsId } from './IsId.js';

export class SendMessageBody {
  @IsId()
  receiver_id!: string;

  @IsString()
  message!: string;
}
