import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches } from 'class-validator';

export class SetRolesDto {
  @ApiProperty({ type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,49}$' }, minItems: 1, maxItems: 20, example: ['customer', 'support'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(/^[a-z][a-z0-9_-]{0,49}$/, { each: true, message: 'each role must be a role name' })
  roles!: string[];
}

export class UserRolesView {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ type: [String] }) permissions!: string[];
}

export class RoleView {
  @ApiProperty({ example: 'customer' }) name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String] }) permissions!: string[];
}

export class RoleListView {
  @ApiProperty({ type: [RoleView] }) items!: RoleView[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
}
