import { IsVisibleText, VISIBLE_TEXT } from '../validation/text';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_AMOUNT_MINOR_UNITS } from '@shop/validation';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { COUNTRIES } from '../validation/countries';
import { PageQueryDto } from '../validation/page-query.dto';

/** A SKU: 1 to 64 letters, digits, ".", "_" or "-", not starting with a symbol. */
export const SKU_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
/** An Idempotency-Key: 8 to 128 letters, digits, ".", "_", ":" or "-". */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;
export const ORDER_STATUSES = ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED'];

export class AddCartItemDto {
  @ApiProperty({ example: 'KNT-000042-3', pattern: SKU_PATTERN })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'sku must be 1 to 64 letters, digits, ".", "_" or "-"' })
  sku!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 1 }) @IsInt() @Min(1) @Max(100) quantity!: number;
}

export class UpdateCartItemDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 2 }) @IsInt() @Min(1) @Max(100) quantity!: number;
}

export class ShippingAddressDto {
  @ApiProperty({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: 200, example: '12 Analytical Row' }) @IsString() @MinLength(1) @IsVisibleText() @MaxLength(200) line1!: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @ApiProperty({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: 100, example: 'London' }) @IsString() @MinLength(1) @IsVisibleText() @MaxLength(100) city!: string;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) region?: string;
  @ApiProperty({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: 20, example: 'N1 9GU' }) @IsString() @MinLength(1) @IsVisibleText() @MaxLength(20) postalCode!: string;
  @ApiProperty({ example: 'GB', enum: COUNTRIES }) @IsIn(COUNTRIES, { message: 'country must be an ISO 3166-1 alpha-2 code' }) country!: string;
}

/** Exactly one of a saved address (by id) or an address given here. */
export class PlaceOrderDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'One of your saved addresses' })
  @IsOptional()
  @IsUUID('all', { message: 'shippingAddressId must be an address id' })
  shippingAddressId?: string;

  @ApiPropertyOptional({ type: ShippingAddressDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ShippingAddressDto)
  shippingAddress?: ShippingAddressDto;

  @ApiPropertyOptional({ description: 'A bargaining offer code from the chat assistant: its SKU is charged at the offer price, once', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  offerCode?: string;
}

export class CancelOrderDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'changed my mind' }) @IsOptional() @IsString() @MaxLength(200) reason?: string;
}

export class OrderListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: string;
}

export class AdvanceOrderDto {
  @ApiProperty({ enum: ['FULFILLING', 'SHIPPED', 'DELIVERED'] }) @IsIn(['FULFILLING', 'SHIPPED', 'DELIVERED']) status!: string;
}

export class TestPaymentDto {
  @ApiProperty({ enum: ['succeeded', 'failed'] }) @IsIn(['succeeded', 'failed']) outcome!: 'succeeded' | 'failed';
}

export class RefundDto {
  @ApiPropertyOptional({ description: 'Minor units; leave out to refund what is left', type: 'integer', minimum: 1, maximum: MAX_AMOUNT_MINOR_UNITS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT_MINOR_UNITS)
  amount?: number;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) reason?: string;
}
