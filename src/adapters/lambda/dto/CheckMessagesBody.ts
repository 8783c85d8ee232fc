import { IsInt, IsOptional, IsString } from 'class-validator';

export class CheckMessagesBody {
  /** Absent (or null, or empty) for the newest page. */
  @IsOptional()
  @IsString()
  cursor?: string | null;

  @IsOptional()
  @IsInt()
  limit?: number;
}
