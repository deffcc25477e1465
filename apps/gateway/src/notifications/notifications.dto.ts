import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';

export class NotificationListQueryDto {
  @ApiPropertyOptional({ example: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @ApiPropertyOptional({ example: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;

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
  @ApiProperty({ type: String, nullable: true, description: 'null until read' }) readAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class NotificationListView {
  @ApiProperty({ type: [NotificationView] }) items!: NotificationView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty({ description: 'How many of the shopper’s notifications are unread' }) unread!: number;
}

export class MarkAllReadView {
  @ApiProperty({ description: 'How many were marked read now' }) marked!: number;
  @ApiProperty() unread!: number;
}

/** Each kind of notification on one channel; booleans only (no "true" or 1). */
export class ChannelPreferencesDto {
  @ApiProperty({ description: 'Order emails are transactional: false is refused for email' }) @IsBoolean() orders!: boolean;
  @ApiProperty() @IsBoolean() account!: boolean;
  @ApiProperty({ description: 'Off unless switched on' }) @IsBoolean() marketing!: boolean;
}

export class NotificationPreferencesDto {
  @ApiProperty({ type: ChannelPreferencesDto }) @IsDefined() @ValidateNested() @Type(() => ChannelPreferencesDto) email!: ChannelPreferencesDto;
  @ApiProperty({ type: ChannelPreferencesDto }) @IsDefined() @ValidateNested() @Type(() => ChannelPreferencesDto) inApp!: ChannelPreferencesDto;
}
