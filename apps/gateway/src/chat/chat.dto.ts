import { IsVisibleText, VISIBLE_TEXT } from '../validation/text';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class ChatMessageDto {
  @ApiProperty({ example: 'mug under 20', pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: 1000 })
  @IsString()
  @MinLength(1) @IsVisibleText()
  @MaxLength(1000)
  text!: string;
}

export class BargainingRuleDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 90, example: 10, description: 'The largest discount off the list price any offer may give' })
  @IsInt()
  @Min(0)
  @Max(90)
  maxDiscountPercent!: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 1 }) @IsOptional() @IsInt() @Min(1) @Max(100) minQuantity?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000, default: 0, description: 'Units that must remain available after the offer' }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000) minStock?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10_080, default: 30 }) @IsOptional() @IsInt() @Min(1) @Max(10_080) validForMinutes?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 3 }) @IsOptional() @IsInt() @Min(1) @Max(100) maxOffersPerShopper?: number;
}

export class HandoverQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50, example: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}
