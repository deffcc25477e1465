import { BadRequestException, Controller, Headers, HttpCode, Inject, Post, type RawBodyRequest, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { Public } from '@shop/security';
import { VERBATIM_BODY } from '@shop/service-kit';
import type { FastifyRequest } from 'fastify';
import { PAYMENT_CLIENT, type PaymentClient } from '../downstream/downstreams';

/** Stripe's calls to us. The signature covers the exact bytes, so the raw body goes to the payment service untouched. */
@ApiTags('payments')
@Public()
@Controller('payments/webhooks')
export class StripeWebhookController {
  constructor(@Inject(PAYMENT_CLIENT) private readonly payments: PaymentClient) {}

  @Post('stripe')
  @HttpCode(200)
  @RouteConfig(VERBATIM_BODY)
  @ApiExcludeEndpoint()
  async stripe(@Req() request: RawBodyRequest<FastifyRequest>, @Headers('stripe-signature') signature: string | undefined) {
    if (!signature) throw new BadRequestException('the Stripe-Signature header is required');
    if (!request.rawBody) throw new BadRequestException('a JSON body is required');
    const result = await this.payments.call('handleStripeWebhook', { payload: request.rawBody, signature });
    return { received: true, duplicate: !result.handled };
  }
}
