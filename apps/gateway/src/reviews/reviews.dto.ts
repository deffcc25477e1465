import { IsVisibleText, VISIBLE_TEXT } from '../validation/text';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto } from '../validation/page-query.dto';

// The review service's own bounds (apps/review/src/reviews/review-input.ts): the edge refuses the same.
const TITLE_MAX = 120;
const BODY_MAX = 4000;
const REASON_MAX = 500;

export class CreateReviewDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 5 }) @IsInt() @Min(1) @Max(5) rating!: number;
  @ApiPropertyOptional({ maxLength: TITLE_MAX, example: 'Keeps tea hot' }) @IsOptional() @IsString() @MaxLength(TITLE_MAX) title?: string;
  @ApiProperty({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: BODY_MAX, example: 'Sturdy, and the handle stays cool.' }) @IsString() @MinLength(1) @IsVisibleText() @MaxLength(BODY_MAX) body!: string;
}

export class UpdateReviewDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5 }) @IsOptional() @IsInt() @Min(1) @Max(5) rating?: number;
  @ApiPropertyOptional({ maxLength: TITLE_MAX }) @IsOptional() @IsString() @MaxLength(TITLE_MAX) title?: string;
  @ApiPropertyOptional({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: BODY_MAX }) @IsOptional() @IsString() @MinLength(1) @IsVisibleText() @MaxLength(BODY_MAX) body?: string;
}

export const REVIEW_SORTS = ['newest', 'helpful', 'rating_desc', 'rating_asc'] as const;

export class ReviewListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REVIEW_SORTS, default: 'newest' }) @IsOptional() @IsIn(REVIEW_SORTS) sort?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5, description: 'Only reviews with this rating' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5)
  rating?: number;
}

export class ModerationQueryDto extends PageQueryDto {
  @ApiProperty({ enum: ['pending', 'published', 'hidden'] }) @IsIn(['pending', 'published', 'hidden']) status!: string;
}

export class ModerateReviewDto {
  @ApiProperty({ enum: ['published', 'hidden'] }) @IsIn(['published', 'hidden']) status!: string;
  @ApiPropertyOptional({ maxLength: REASON_MAX }) @IsOptional() @IsString() @MaxLength(REASON_MAX) reason?: string;
}

export class ReviewView {
  @ApiProperty({ example: '6745a0c2e4b0a1b2c3d4e5f6' }) id!: string;
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) authorName!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 5 }) rating!: number;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty() verifiedPurchase!: boolean;
  @ApiProperty({ enum: ['pending', 'published', 'hidden'] }) status!: string;
  @ApiProperty({ type: 'integer' }) helpfulCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** A review as moderators see it: whose it is and why it waits or was hidden. */
export class ModerationView extends ReviewView {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ description: 'Why it is pending or hidden; "" when published' }) moderationReason!: string;
}

export class RatingSummaryView {
  @ApiProperty({ description: 'Two decimals; 0 without reviews' }) average!: number;
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({
    type: 'object',
    required: ['1', '2', '3', '4', '5'],
    properties: Object.fromEntries(['1', '2', '3', '4', '5'].map((stars) => [stars, { type: 'integer', minimum: 0 }])),
    example: { '1': 0, '2': 1, '3': 0, '4': 3, '5': 7 },
  })
  histogram!: Record<'1' | '2' | '3' | '4' | '5', number>;
}

export class ReviewListView {
  @ApiProperty({ type: [ReviewView] }) items!: ReviewView[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
  @ApiProperty({ type: RatingSummaryView }) summary!: RatingSummaryView;
}

export class ModerationListView {
  @ApiProperty({ type: [ModerationView] }) items!: ModerationView[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
}
