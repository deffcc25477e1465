import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, NotEquals } from 'class-validator';
import { PageQueryDto } from '../validation/page-query.dto';

export class SetStockDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 10_000_000, example: 50 })
  @IsInt()
  @Min(0, { message: 'onHand must not be negative' })
  @Max(10_000_000)
  onHand!: number;

  @ApiPropertyOptional({ maxLength: 200, example: 'stock count' }) @IsOptional() @IsString() @MaxLength(200) reason?: string;
}

export class AdjustStockDto {
  @ApiProperty({ type: 'integer', minimum: -10_000_000, maximum: 10_000_000, not: { enum: [0] }, example: -3, description: 'Units to add (or remove, if negative); not 0' })
  @IsInt()
  @NotEquals(0)
  @Min(-10_000_000)
  @Max(10_000_000)
  delta!: number;

  @ApiProperty({ maxLength: 200, example: 'damaged in the warehouse' }) @IsString() @MaxLength(200) reason!: string;
}

export class MovementsQueryDto extends PageQueryDto {}
