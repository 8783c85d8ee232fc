import { IsString } from 'class-validator';

export class RegisterUserBody {
  @IsString()
  password!: string;
}
