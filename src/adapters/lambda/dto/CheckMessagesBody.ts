import { IsInt, IsOptional, IsString, ValidateIf } from 'class-validator';

export class CheckMessagesBody {
  /** Absent (or null, or empty) for the newest page. */
  @IsOptional()
  @IsString()
  cursor?: string | null;

  /** Absent for the default; null is a wrong type, like any other non-integer. */
  @ValidateIf((body: CheckMessagesBody) => body.limit !== undefined)
  @IsInt()
  limit?: number;
}
