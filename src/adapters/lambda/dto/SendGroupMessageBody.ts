import { IsOptional, IsString } from 'class-validator';
import { IsId } from './IsId.js';

export class SendGroupMessageBody {
  @IsId()
  group_id!: string;

  @IsString()
  message!: string;

  /** Format checked by the use case; the Idempotency-Key header is an alias. */
  @IsOptional()
  @IsString()
  client_message_id?: string | null;
}
