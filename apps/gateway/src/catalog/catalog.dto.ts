import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { attributeNameProblem, INT32_MAX, MAX_AMOUNT_MINOR_UNITS } from '@shop/validation';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
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

/** Free attributes such as { colour: "red" }: text values under names the catalogue takes. */
function IsStringRecord(options?: ValidationOptions) {
  return (target: object, property: string) =>
    registerDecorator({
      name: 'isStringRecord',
      target: target.constructor,
      propertyName: property,
      options: { message: `${property} must be an object of text values under lower-case names (not "constructor")`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(([name, text]) => typeof text === 'string' && attributeNameProblem(name.trim().toLowerCase()) === undefined),
      },
    });
}

export class MoneyDto {
  @ApiProperty({ example: 1999, description: 'Minor units (cents)', type: 'integer', minimum: 0, maximum: MAX_AMOUNT_MINOR_UNITS })
  @IsInt({ message: 'amount must be a whole number of minor units' })
  @Min(0, { message: 'amount must not be negative' })
  @Max(MAX_AMOUNT_MINOR_UNITS, { message: `amount must be at most ${MAX_AMOUNT_MINOR_UNITS} minor units` })
  amount!: number;

  @ApiProperty({ example: 'EUR' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;
}

export class VariantDto {
  @ApiProperty({ example: 'TSHIRT-RED-M' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'sku must be 1 to 64 letters, digits, ".", "_" or "-"' })
  sku!: string;

  @ApiProperty({ type: MoneyDto })
  @ValidateNested()
  @Type(() => MoneyDto)
  price!: MoneyDto;

  @ApiPropertyOptional({ example: { size: 'M', colour: 'red' } })
  @IsOptional()
  @IsStringRecord()
  attributes?: Record<string, string>;
}

export class CreateProductDto {
  @ApiProperty({ example: 'Organic cotton T-shirt' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(10_000)
  description!: string;

  @ApiPropertyOptional({ example: 'Acme' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  brand?: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true, message: 'categoryIds must be category ids' })
  categoryIds!: string[];

  @ApiPropertyOptional({ example: { material: 'cotton' } })
  @IsOptional()
  @IsStringRecord()
  attributes?: Record<string, string>;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ protocols: ['http', 'https'], require_tld: false }, { each: true, message: 'images must be http(s) URLs' })
  images?: string[];

  @ApiProperty({ enum: ['draft', 'published'] })
  @IsIn(['draft', 'published'])
  status!: 'draft' | 'published';

  @ApiProperty({ type: [VariantDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => VariantDto)
  variants!: VariantDto[];
}

export class UpdateProductDto {
  @ApiProperty({ description: 'The version you read; a stale one answers 409' })
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  version!: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) brand?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true, message: 'categoryIds must be category ids' })
  categoryIds?: string[];

  @ApiPropertyOptional() @IsOptional() @IsStringRecord() attributes?: Record<string, string>;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ protocols: ['http', 'https'], require_tld: false }, { each: true, message: 'images must be http(s) URLs' })
  images?: string[];

  @ApiPropertyOptional({ enum: ['draft', 'published'] }) @IsOptional() @IsIn(['draft', 'published']) status?: 'draft' | 'published';

  @ApiPropertyOptional({ type: [VariantDto] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => VariantDto)
  variants?: VariantDto[];
}

export class CreateCategoryDto {
  @ApiProperty({ example: 'Outerwear' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiPropertyOptional({ example: 'outerwear' }) @IsOptional() @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'slug must be lower-case words joined by dashes' }) slug?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'parentId must be a category id' }) parentId?: string;
}

export class UpdateCategoryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'slug must be lower-case words joined by dashes' }) slug?: string;
}

export class ProductTranslationDto {
  @ApiProperty({ example: 'Écharpe en laine' }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiPropertyOptional({ example: 'Longue et chaude.' }) @IsOptional() @IsString() @MaxLength(10_000) description?: string;
}

export class CategoryTranslationDto {
  @ApiProperty({ example: 'Vêtements' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
}

export class ProductListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['draft', 'published'] }) @IsOptional() @IsIn(['draft', 'published']) status?: string;
}

export class DeleteProductQueryDto {
  @ApiPropertyOptional({ description: 'Refuse the delete (409) if the product changed since this version' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  version?: number;
}

