import { IsVisibleText, VISIBLE_TEXT } from '../validation/text';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { COUNTRIES } from '../validation/countries';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class UpdateProfileDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'Ada Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'en-GB', description: 'BCP 47 language tag', pattern: '^[a-z]{2,3}(-[A-Z]{2})?$' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z]{2,3}(-[A-Z]{2})?$/, { message: 'locale must look like "en" or "de-CH"' })
  locale?: string;

  @ApiPropertyOptional({ example: '+44 20 7946 0000', pattern: '^(\\+?[0-9 ()-]{6,20})?$', description: '"" removes it' })
  @IsOptional()
  @IsString()
  @Matches(/^(\+?[0-9 ()-]{6,20})?$/, { message: 'phone must be a phone number' })
  phone?: string;
}

export class AddressDto {
  @ApiProperty({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: 200, example: '12 Analytical Row' })
  @IsString()
  @MinLength(1) @IsVisibleText()
  @MaxLength(200)
  line1!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  line2?: string;

  @ApiProperty({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: 100, example: 'London' })
  @IsString()
  @MinLength(1) @IsVisibleText()
  @MaxLength(100)
  city!: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string;

  @ApiProperty({ pattern: VISIBLE_TEXT.source, minLength: 1, maxLength: 20, example: 'N1 9GU' })
  @IsString()
  @MinLength(1) @IsVisibleText()
  @MaxLength(20)
  postalCode!: string;

  @ApiProperty({ example: 'GB', description: 'ISO 3166-1 alpha-2', enum: COUNTRIES })
  @IsIn(COUNTRIES, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country!: string;

  @ApiPropertyOptional({ description: 'Make this the default address' })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}

export class UpdateAddressDto extends PartialType(AddressDto) {}

export class ProfileView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'ada@example.com' }) email!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name!: string;
  @ApiProperty({ example: 'en-GB' }) locale!: string;
  @ApiProperty({ example: '' }) phone!: string;
  @ApiProperty({ type: [String], example: ['customer'] }) roles!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class AddressView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() line1!: string;
  @ApiPropertyOptional() line2?: string;
  @ApiProperty() city!: string;
  @ApiPropertyOptional() region?: string;
  @ApiProperty() postalCode!: string;
  @ApiProperty() country!: string;
  @ApiProperty() isDefault!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AddressListView {
  @ApiProperty({ type: [AddressView] }) items!: AddressView[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
}
