import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsBoolean, IsDefined, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';

export class NotificationListQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100_000, default: 1, example: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20, example: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;

  @ApiPropertyOptional({ description: 'Only unread notifications', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'order.confirmed', enum: ['account.welcome', 'order.confirmed', 'order.cancelled', 'order.shipped', 'order.delivered', 'payment.refunded', 'cart.abandoned'] })
  type!: string;
  @ApiProperty({ example: 'Order #1A2B3C4D confirmed' }) title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { orderId: '1a2b3c4d-…', total: { amount: 1250, currency: 'EUR' } } })
  data!: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null until read' }) readAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class NotificationListView {
  @ApiProperty({ type: [NotificationView] }) items!: NotificationView[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
  @ApiProperty({ type: 'integer', description: 'How many of the shopper’s notifications are unread' }) unread!: number;
}

export class MarkAllReadView {
  @ApiProperty({ type: 'integer', description: 'How many were marked read now' }) marked!: number;
  @ApiProperty({ type: 'integer' }) unread!: number;
}

/** Each kind of notification on one channel; booleans only (no "true" or 1). */
export class ChannelPreferencesDto {
  @ApiProperty({ description: 'Order emails are transactional: false is refused for email' }) @IsBoolean() orders!: boolean;
  @ApiProperty() @IsBoolean() account!: boolean;
  @ApiProperty({ description: 'Off unless switched on' }) @IsBoolean() marketing!: boolean;
}

/** Order emails are transactional: email.orders is always true. */
export class EmailPreferencesDto extends ChannelPreferencesDto {
  @ApiProperty({ enum: [true], description: 'Order emails are transactional: always true' })
  @IsBoolean()
  @Equals(true, { message: 'orders cannot be switched off: order emails are transactional' })
  declare orders: boolean;
}

export class NotificationPreferencesDto {
  @ApiProperty({ type: EmailPreferencesDto }) @IsDefined() @ValidateNested() @Type(() => EmailPreferencesDto) email!: EmailPreferencesDto;
  @ApiProperty({ type: ChannelPreferencesDto }) @IsDefined() @ValidateNested() @Type(() => ChannelPreferencesDto) inApp!: ChannelPreferencesDto;
}
