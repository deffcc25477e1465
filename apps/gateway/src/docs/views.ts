import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORDER_STATUSES } from '../orders/orders.dto';

/**
 * What the gateway answers, for the OpenAPI document: every route's 2xx body is one of these (or a
 * view beside its DTOs). The schemathesis run checks answers against them (scripts/contract).
 */

const UUID = { format: 'uuid', example: '0ed19667-52d3-4242-aeb0-7ef4298ef6b5' } as const;
const WHEN = { format: 'date-time', example: '2026-11-26T02:44:17.414Z' } as const;
const TEXT_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;

export class MoneyView {
  @ApiProperty({ type: 'integer', description: 'Minor units (cents)', example: 1999 }) amount!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

export class RatingView {
  @ApiProperty({ description: 'Two decimals; 0 without reviews', example: 4.5 }) average!: number;
  @ApiProperty({ type: 'integer', example: 12 }) count!: number;
}

export class JwksView {
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'JSON Web Keys (RFC 7517)' }) keys!: object[];
}

export class KeyRotationView {
  @ApiProperty({ example: 'Jd8aUp9HnJx7ksPE', description: 'The kid of the new signing key' }) kid!: string;
}

export class VariantView {
  @ApiProperty({ example: 'KNT-000042-3' }) sku!: string;
  @ApiProperty({ type: MoneyView }) price!: MoneyView;
  @ApiProperty({ ...TEXT_MAP, example: { colour: 'red' } }) attributes!: Record<string, string>;
}

export class AvailableVariantView extends VariantView {
  @ApiProperty({ type: 'integer', description: 'Units available, as of the last stock event', example: 1000 }) available!: number;
}

class ProductFields {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ example: 'Enamel mug' }) name!: string;
  @ApiProperty({ example: 'Keeps tea hot.' }) description!: string;
  @ApiProperty({ example: 'Acme' }) brand!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) categoryIds!: string[];
  @ApiProperty({ ...TEXT_MAP, example: { material: 'enamel' } }) attributes!: Record<string, string>;
  @ApiProperty({ type: [String] }) images!: string[];
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Send it back with a PATCH (409 when stale)', example: 1 }) version!: number;
  @ApiProperty(WHEN) createdAt!: string;
  @ApiProperty(WHEN) updatedAt!: string;
  @ApiProperty({ type: RatingView }) rating!: RatingView;
}

/** A published product as shoppers read it, each variant with its availability. */
export class ProductView extends ProductFields {
  @ApiProperty({ type: [AvailableVariantView] }) variants!: AvailableVariantView[];
}

/** A product as admins read it: drafts too, with its status. */
export class AdminProductView extends ProductFields {
  @ApiProperty({ enum: ['draft', 'published'] }) status!: string;
  @ApiProperty({ type: [VariantView] }) variants!: VariantView[];
  @ApiPropertyOptional({ example: 'en', description: 'The language of the text answered' }) locale?: string;
}

export class AdminProductListView {
  @ApiProperty({ type: [AdminProductView] }) items!: AdminProductView[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
}

export class ProductSummaryView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ example: 'Enamel mug' }) name!: string;
  @ApiProperty({ example: 'Acme' }) brand!: string;
  @ApiProperty({ type: MoneyView, description: 'The lowest price of its variants' }) price!: MoneyView;
  @ApiProperty({ description: 'The first image, or ""' }) image!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) categoryIds!: string[];
  @ApiProperty(WHEN) createdAt!: string;
  @ApiProperty({ type: RatingView }) rating!: RatingView;
}

export class FacetBucketView {
  @ApiProperty({ example: 'red' }) value!: string;
  @ApiProperty({ type: 'integer', example: 3 }) count!: number;
}

export class SearchResultView {
  @ApiProperty({ type: [ProductSummaryView] }) items!: ProductSummaryView[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { $ref: '#/components/schemas/FacetBucketView' } },
    description: 'category, brand, price and attr.<name>: values with their counts',
    example: { category: [{ value: 'aba91018-00a4-4c37-b974-1307941dbbe4', count: 1 }], brand: [], price: [{ value: '1000-2500', count: 1 }], 'attr.colour': [{ value: 'red', count: 1 }] },
  })
  facets!: Record<string, FacetBucketView[]>;
}

export class CategoryView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ example: 'Mugs' }) name!: string;
  @ApiProperty({ example: 'mugs' }) slug!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentId!: string | null;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The ids from the root to this category' }) path!: string[];
}

export class CategoryListView {
  @ApiProperty({ type: [CategoryView] }) items!: CategoryView[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
}

export class ProductTranslationView {
  @ApiProperty({ example: 'fr' }) locale!: string;
  @ApiProperty({ example: 'Tasse émaillée' }) name!: string;
  @ApiProperty({ example: '' }) description!: string;
}

export class CategoryTranslationView {
  @ApiProperty({ example: 'fr' }) locale!: string;
  @ApiProperty({ example: 'Tasses' }) name!: string;
}

export class StockLevelView {
  @ApiProperty({ example: 'KNT-000042-3' }) sku!: string;
  @ApiProperty({ type: 'integer', example: 1000 }) onHand!: number;
  @ApiProperty({ type: 'integer', example: 2 }) reserved!: number;
  @ApiProperty({ type: 'integer', example: 998 }) available!: number;
}

export class MovementView {
  @ApiProperty({ example: '1' }) id!: string;
  @ApiProperty({ example: 'KNT-000042-3' }) sku!: string;
  @ApiProperty({ example: 'set', description: 'set, adjust, reserve, release, commit, return' }) kind!: string;
  @ApiProperty({ type: 'integer' }) onHandDelta!: number;
  @ApiProperty({ type: 'integer' }) reservedDelta!: number;
  @ApiProperty({ example: 'stock count' }) reason!: string;
  @ApiProperty({ description: 'The order or reservation behind it, or ""' }) reference!: string;
  @ApiProperty(WHEN) createdAt!: string;
}

export class MovementListView {
  @ApiProperty({ type: [MovementView] }) items!: MovementView[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
}

export class CartItemView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ example: 'KNT-000042-3' }) sku!: string;
  @ApiProperty(UUID) productId!: string;
  @ApiProperty({ example: 'Enamel mug' }) name!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 2 }) quantity!: number;
  @ApiProperty({ type: MoneyView }) unitPrice!: MoneyView;
  @ApiProperty({ type: MoneyView }) lineTotal!: MoneyView;
  @ApiProperty({ type: 'integer', description: 'Units available now', example: 1000 }) available!: number;
}

export class CartView {
  @ApiProperty({ type: [CartItemView] }) items!: CartItemView[];
  @ApiProperty({ type: MoneyView }) total!: MoneyView;
}

export class OrderAcceptedView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ enum: ORDER_STATUSES, example: 'PENDING' }) status!: string;
}

export class OrderItemView {
  @ApiProperty({ example: 'KNT-000042-3' }) sku!: string;
  @ApiProperty(UUID) productId!: string;
  @ApiProperty({ example: 'Enamel mug' }) name!: string;
  @ApiProperty({ type: 'integer', example: 2 }) quantity!: number;
  @ApiProperty({ type: MoneyView }) unitPrice!: MoneyView;
  @ApiProperty({ type: MoneyView }) lineTotal!: MoneyView;
}

export class ShippingAddressView {
  @ApiProperty({ example: '12 Analytical Row' }) line1!: string;
  @ApiPropertyOptional() line2?: string;
  @ApiProperty({ example: 'London' }) city!: string;
  @ApiPropertyOptional() region?: string;
  @ApiProperty({ example: 'N1 9GU' }) postalCode!: string;
  @ApiProperty({ example: 'GB' }) country!: string;
}

export class StatusChangeView {
  @ApiProperty({ enum: ORDER_STATUSES }) status!: string;
  @ApiProperty(WHEN) at!: string;
  @ApiPropertyOptional({ example: 'stock reserved, awaiting payment' }) reason?: string;
}

export class OrderPaymentView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ example: 'test', description: 'stripe, or test without Stripe credentials' }) provider!: string;
  @ApiProperty({ example: 'requires_payment' }) status!: string;
  @ApiPropertyOptional({ description: "The provider's client secret that confirms the payment: to the order's shopper only" }) clientSecret?: string;
}

export class OrderView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty(UUID) userId!: string;
  @ApiProperty({ enum: ORDER_STATUSES, example: 'AWAITING_PAYMENT' }) status!: string;
  @ApiProperty({ type: [OrderItemView] }) items!: OrderItemView[];
  @ApiProperty({ type: MoneyView }) total!: MoneyView;
  @ApiProperty({ type: ShippingAddressView }) shippingAddress!: ShippingAddressView;
  @ApiProperty({ type: [StatusChangeView] }) history!: StatusChangeView[];
  @ApiPropertyOptional({ type: OrderPaymentView, description: 'Once the payment is created' }) payment?: OrderPaymentView;
  @ApiPropertyOptional({ example: 'changed my mind' }) cancelReason?: string;
  @ApiProperty(WHEN) createdAt!: string;
  @ApiProperty(WHEN) updatedAt!: string;
}

export class OrderListView {
  @ApiProperty({ type: [OrderView] }) items!: OrderView[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
}

export class TestPaymentView {
  @ApiProperty(UUID) paymentId!: string;
  @ApiProperty({ example: 'succeeded' }) status!: string;
  @ApiProperty({ example: 'test' }) provider!: string;
}

export class PaymentView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty(UUID) orderId!: string;
  @ApiProperty({ example: 'refunded' }) status!: string;
  @ApiProperty({ type: MoneyView }) amount!: MoneyView;
  @ApiProperty({ type: MoneyView }) amountRefunded!: MoneyView;
  @ApiProperty({ example: 'test' }) provider!: string;
  @ApiProperty() providerPaymentId!: string;
  @ApiProperty() failureReason!: string;
  @ApiProperty(WHEN) createdAt!: string;
  @ApiProperty(WHEN) updatedAt!: string;
}

export class TransactionView {
  @ApiProperty() id!: string;
  @ApiProperty(UUID) paymentId!: string;
  @ApiProperty({ example: 'charge', description: 'charge, refund…' }) kind!: string;
  @ApiProperty({ type: MoneyView }) amount!: MoneyView;
  @ApiProperty() providerReference!: string;
  @ApiProperty(WHEN) createdAt!: string;
}

export class TransactionListView {
  @ApiProperty({ type: [TransactionView] }) items!: TransactionView[];
}

export class ChatSessionCreatedView {
  @ApiProperty(UUID) id!: string;
}

class ChatProductView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: MoneyView }) price!: MoneyView;
}

class ChatOrderView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: string;
  @ApiProperty({ type: MoneyView }) total!: MoneyView;
}

class ChatOfferView {
  @ApiProperty({ description: 'Give it to POST /orders as offerCode' }) code!: string;
  @ApiProperty() sku!: string;
  @ApiProperty({ type: MoneyView }) price!: MoneyView;
  @ApiProperty({ type: MoneyView }) listPrice!: MoneyView;
  @ApiProperty({ type: 'integer' }) minQuantity!: number;
  @ApiProperty(WHEN) expiresAt!: string;
}

export class ChatReplyBodyView {
  @ApiProperty({ example: 'Built-in assistant: here is what I found under 30.00: Enamel mug (19.99 EUR)' }) text!: string;
  @ApiPropertyOptional({ example: 'search' }) intent?: string;
  @ApiPropertyOptional({ type: [ChatProductView] }) products?: ChatProductView[];
  @ApiPropertyOptional({ type: [ChatOrderView] }) orders?: ChatOrderView[];
  @ApiPropertyOptional({ type: ChatOfferView }) offer?: ChatOfferView;
  @ApiPropertyOptional({ enum: [true] }) handover?: boolean;
}

export class ChatReplyView {
  @ApiProperty({ type: ChatReplyBodyView }) reply!: ChatReplyBodyView;
}

class ChatMessageView {
  @ApiProperty({ enum: ['user', 'assistant'] }) role!: string;
  @ApiProperty() text!: string;
  @ApiProperty(WHEN) at!: string;
}

export class ChatSessionView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ type: [ChatMessageView] }) messages!: ChatMessageView[];
  @ApiProperty(WHEN) createdAt!: string;
}

export class BargainingRuleView {
  @ApiProperty({ enum: ['product', 'category'] }) scope!: string;
  @ApiProperty(UUID) targetId!: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 90 }) maxDiscountPercent!: number;
  @ApiProperty({ type: 'integer' }) minQuantity!: number;
  @ApiProperty({ type: 'integer' }) minStock!: number;
  @ApiProperty({ type: 'integer' }) validForMinutes!: number;
  @ApiProperty({ type: 'integer' }) maxOffersPerShopper!: number;
  @ApiProperty(WHEN) updatedAt!: string;
  @ApiProperty(UUID) updatedBy!: string;
}

export class BargainingRuleListView {
  @ApiProperty({ type: [BargainingRuleView] }) items!: BargainingRuleView[];
}

class HandoverView {
  @ApiProperty() id!: string;
  @ApiProperty(UUID) sessionId!: string;
  @ApiProperty(UUID) userId!: string;
  @ApiProperty({ description: "The shopper's message that asked for a human" }) text!: string;
  @ApiProperty(WHEN) createdAt!: string;
}

export class HandoverListView {
  @ApiProperty({ type: [HandoverView] }) items!: HandoverView[];
}
