import { IsString } from 'class-validator';
import { IsId } from './IsId.js';

export class LoginBody {
  @IsId()
  user_id!: string;

  @IsString()
  password!: string;
}
