import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_AMOUNT_MINOR_UNITS } from '@shop/validation';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO31661Alpha2, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../validation/page-query.dto';

export class AddCartItemDto {
  @ApiProperty({ example: 'KNT-000042-3' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'sku must be 1 to 64 letters, digits, ".", "_" or "-"' })
  sku!: string;

  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(100) quantity!: number;
}

export class UpdateCartItemDto {
  @ApiProperty({ example: 2 }) @IsInt() @Min(1) @Max(100) quantity!: number;
}

export class ShippingAddressDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) line1!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) city!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) region?: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(20) postalCode!: string;
  @ApiProperty({ example: 'GB' }) @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' }) country!: string;
}

/** Exactly one of a saved address (by id) or an address given here. */
export class PlaceOrderDto {
  @ApiPropertyOptional({ format: 'uuid' })
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
  @ApiPropertyOptional({ example: 'changed my mind' }) @IsOptional() @IsString() @MaxLength(200) reason?: string;
}

export class OrderListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED'] })
  @IsOptional()
  @IsIn(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED'])
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
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) reason?: string;
}
