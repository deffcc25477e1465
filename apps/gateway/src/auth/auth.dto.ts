import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

/**
 * The password policy as far as a pattern can say it (auth applies all of it: not a commonly used
 * password, not containing the email's local part): letters mixed with at least one digit or symbol,
 * 10 to 72 characters of ASCII or 10 to 18 of any others. bcrypt reads 72 bytes of UTF-8, which no
 * pattern can count; 18 characters are at most 72 bytes whatever they are.
 */
export const PASSWORD_PATTERN =
  '^(?=[\\s\\S]*\\p{L})(?=[\\s\\S]*\\P{L})(?:[\\t\\n\\r\\u0020-\\u007E]{10,72}|[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]{10,18})$';
const PASSWORD = new RegExp(PASSWORD_PATTERN, 'u');

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RegisterDto {
  @ApiProperty({ format: 'email', maxLength: 254, example: 'ada@example.com' })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({
    minLength: 10,
    maxLength: 72,
    pattern: PASSWORD_PATTERN,
    description: 'Letters mixed with at least one digit or symbol: 10 to 72 ASCII characters, or 10 to 18 of any; not a commonly used password, not containing the email',
    example: 'correct-horse-battery-9',
  })
  @IsString()
  @Matches(PASSWORD, { message: 'password must mix letters with at least one digit or symbol: 10 to 72 ASCII characters, or 10 to 18 of any' })
  password!: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Ada Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class LoginDto {
  @ApiProperty({ maxLength: 254, example: 'ada@example.com' })
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ maxLength: 200, example: 'correct-horse-battery-9' })
  @IsString()
  @MaxLength(200)
  password!: string;
}

export class RefreshTokenDto {
  @ApiProperty({ minLength: 16, maxLength: 256, description: 'The opaque refresh token from login or the last refresh', example: 'q3HxO2m1cX0kP9sV7bN4tA' })
  @IsString()
  @Length(16, 256)
  refreshToken!: string;
}

export class RegisteredUserView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'email', example: 'ada@example.com' }) email!: string;
}

export class TokenPairView {
  @ApiProperty({ description: 'A JWT (RS256)' }) accessToken!: string;
  @ApiProperty() refreshToken!: string;
  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' }) tokenType!: string;
  @ApiProperty({ type: 'integer', description: 'Access token lifetime in seconds', example: 900 }) expiresIn!: number;
}
