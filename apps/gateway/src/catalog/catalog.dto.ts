import { CONTROL, IsVisibleText, SPACE, VISIBLE_TEXT } from '../validation/text';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ATTRIBUTE_NAME, attributeNameProblem, INT32_MAX, MAX_AMOUNT_MINOR_UNITS, RESERVED_ATTRIBUTE_NAMES } from '@shop/validation';
import { SKU_PATTERN } from '../orders/orders.dto';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { PageQueryDto } from '../validation/page-query.dto';

/** An attribute's value as the catalogue keeps it: 1 to 100 characters, no "=", no space at either end. */
const ATTRIBUTE_VALUE = new RegExp(`^[^${SPACE}${CONTROL}=](?:[^${CONTROL}=]{0,98}[^${SPACE}${CONTROL}=])?$`);
const ATTRIBUTES_MAX = 30;
/** Attribute names are lower-case words, not a name a plain object answers to. */
const ATTRIBUTE_KEY = `^(?!(?:${[...RESERVED_ATTRIBUTE_NAMES].join('|')})$)${ATTRIBUTE_NAME.source.slice(1)}`;
const ATTRIBUTES = {
  type: 'object',
  patternProperties: { [ATTRIBUTE_KEY]: { type: 'string', pattern: ATTRIBUTE_VALUE.source } },
  additionalProperties: false,
  maxProperties: ATTRIBUTES_MAX,
  description: 'At most 30, under lower-case names; values of 1 to 100 characters without "=" or surrounding spaces',
} as const;

/**
 * An image: an http(s) URL whose host is a name (labels of letters, digits and single hyphens, the
 * last starting with a letter), as the OpenAPI document says; every such URL parses.
 */
const IMAGE_URL = /^[Hh][Tt][Tt][Pp][Ss]?:\/\/(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?::[0-9]{1,4})?(?:[/?#][!-~]*)?$/;
const IMAGE_URL_MAX = 2048;

/** Free attributes such as { colour: "red" }: text values under names the catalogue takes. */
function IsStringRecord(options?: ValidationOptions) {
  return (target: object, property: string) =>
    registerDecorator({
      name: 'isStringRecord',
      target: target.constructor,
      propertyName: property,
      options: {
        message: `${property} must be an object of at most ${ATTRIBUTES_MAX} values (1 to 100 characters, no "=", no surrounding spaces) under lower-case names (not "constructor")`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= ATTRIBUTES_MAX &&
          Object.entries(value).every(([name, text]) => typeof text === 'string' && ATTRIBUTE_VALUE.test(text) && attributeNameProblem(name) === undefined),
      },
    });
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** http(s) URLs of a product's images. */
const IMAGES = { type: 'array', items: { type: 'string', pattern: IMAGE_URL.source, maxLength: IMAGE_URL_MAX }, maxItems: 20, description: 'http(s) URLs' } as const;

export class MoneyDto {
  @ApiProperty({ example: 1999, description: 'Minor units (cents)', type: 'integer', minimum: 0, maximum: MAX_AMOUNT_MINOR_UNITS })
  @IsInt({ message: 'amount must be a whole number of minor units' })
  @Min(0, { message: 'amount must not be negative' })
  @Max(MAX_AMOUNT_MINOR_UNITS, { message: `amount must be at most ${MAX_AMOUNT_MINOR_UNITS} minor units` })
  amount!: number;

  @ApiProperty({ example: 'EUR', pattern: '^[A-Z]{3}$' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;
}

export class VariantDto {
  @ApiProperty({ example: 'TSHIRT-RED-M', pattern: SKU_PATTERN })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'sku must be 1 to 64 letters, digits, ".", "_" or "-"' })
  sku!: string;

  @ApiProperty({ type: MoneyDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  price!: MoneyDto;

  @ApiPropertyOptional({ ...ATTRIBUTES, example: { size: 'M', colour: 'red' } })
  @IsOptional()
  @IsStringRecord()
  attributes?: Record<string, string>;
}

export class CreateProductDto {
  @ApiProperty({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: 200, example: 'Organic cotton T-shirt' })
  @IsString()
  @MinLength(1) @IsVisibleText()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ maxLength: 10_000, example: 'Soft, and it keeps its shape.' })
  @IsString()
  @MaxLength(10_000)
  description!: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'Acme' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  brand?: string;

  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 10 })
  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true, message: 'categoryIds must be category ids' })
  categoryIds!: string[];

  @ApiPropertyOptional({ ...ATTRIBUTES, example: { material: 'cotton' } })
  @IsOptional()
  @IsStringRecord()
  attributes?: Record<string, string>;

  @ApiPropertyOptional(IMAGES)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @MaxLength(IMAGE_URL_MAX, { each: true })
  @Matches(IMAGE_URL, { each: true, message: 'images must be http(s) URLs of a host name' })
  images?: string[];

  @ApiProperty({ enum: ['draft', 'published'] })
  @IsIn(['draft', 'published'])
  status!: 'draft' | 'published';

  @ApiProperty({ type: [VariantDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => VariantDto)
  variants!: VariantDto[];
}

export class UpdateProductDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: INT32_MAX, description: 'The version you read; a stale one answers 409', example: 1 })
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  version!: number;

  @ApiPropertyOptional({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: 200 }) @IsOptional() @IsString() @MinLength(1) @IsVisibleText() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ maxLength: 10_000 }) @IsOptional() @IsString() @MaxLength(10_000) description?: string;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) brand?: string;

  @ApiPropertyOptional({ type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 10 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true, message: 'categoryIds must be category ids' })
  categoryIds?: string[];

  @ApiPropertyOptional(ATTRIBUTES) @IsOptional() @IsStringRecord() attributes?: Record<string, string>;

  @ApiPropertyOptional(IMAGES)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @MaxLength(IMAGE_URL_MAX, { each: true })
  @Matches(IMAGE_URL, { each: true, message: 'images must be http(s) URLs of a host name' })
  images?: string[];

  @ApiPropertyOptional({ enum: ['draft', 'published'] }) @IsOptional() @IsIn(['draft', 'published']) status?: 'draft' | 'published';

  @ApiPropertyOptional({ type: [VariantDto], minItems: 1, maxItems: 100 })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => VariantDto)
  variants?: VariantDto[];
}

export class CreateCategoryDto {
  @ApiProperty({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: 100, example: 'Outerwear' }) @IsString() @MinLength(1) @IsVisibleText() @MaxLength(100) name!: string;
  @ApiPropertyOptional({ example: 'outerwear', pattern: SLUG.source, maxLength: 80 }) @IsOptional() @Matches(SLUG, { message: 'slug must be lower-case words joined by dashes' }) @MaxLength(80) slug?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'parentId must be a category id' }) parentId?: string;
}

export class UpdateCategoryDto {
  @ApiPropertyOptional({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: 100 }) @IsOptional() @IsString() @MinLength(1) @IsVisibleText() @MaxLength(100) name?: string;
  @ApiPropertyOptional({ pattern: SLUG.source, maxLength: 80 }) @IsOptional() @Matches(SLUG, { message: 'slug must be lower-case words joined by dashes' }) @MaxLength(80) slug?: string;
}

export class ProductTranslationDto {
  @ApiProperty({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: 200, example: 'Écharpe en laine' }) @IsString() @MinLength(1) @IsVisibleText() @MaxLength(200) name!: string;
  @ApiPropertyOptional({ maxLength: 10_000, example: 'Longue et chaude.' }) @IsOptional() @IsString() @MaxLength(10_000) description?: string;
}

export class CategoryTranslationDto {
  @ApiProperty({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: 100, example: 'Vêtements' }) @IsString() @MinLength(1) @IsVisibleText() @MaxLength(100) name!: string;
}

export class ProductListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['draft', 'published'] }) @IsOptional() @IsIn(['draft', 'published']) status?: string;
}

export class DeleteProductQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: INT32_MAX, description: 'Refuse the delete (409) if the product changed since this version' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  version?: number;
}

