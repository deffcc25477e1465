import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class LockAccountDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'payment fraud under review' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class AccountLockView {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() locked!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lockedAt!: string | null;
  @ApiProperty({ description: '"" when none was given' }) reason!: string;
}
