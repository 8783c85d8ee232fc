import { IsOptional, IsString } from 'class-validator';
import { IsIdList } from './IsId.js';

export class CreateGroupBody {
  @IsIdList()
  members!: string | string[];

  @IsOptional()
  @IsString()
  name?: string | null;
}
