import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { NotificationItemV1, notificationV1 } from '@shop/contracts';
import { CurrentPrincipal, type Principal, RequirePermissions } from '@shop/security';
import type { FastifyReply } from 'fastify';
import { NOTIFICATION_CLIENT, type NotificationClient } from '../downstream/downstreams';
import { NotificationStreams } from './notification-streams';
import { MarkAllReadView, NotificationListQueryDto, NotificationListView, NotificationPreferencesDto, NotificationView } from './notifications.dto';

export function toNotificationView(notification: notificationV1.Notification): NotificationView & NotificationItemV1 {
  return {
    id: notification.id,
    type: notification.type,
    title: notification.title,
    body: notification.body,
    data: JSON.parse(notification.dataJson || '{}') as Record<string, unknown>,
    readAt: notification.readAt || null,
    createdAt: notification.createdAt,
  };
}

const SEQUENCE = /^\d{1,15}$/;
/** Pages of what a reconnecting stream missed. */
const CATCH_UP_PAGE = 100;

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(
    @Inject(NOTIFICATION_CLIENT) private readonly notifications: NotificationClient,
    private readonly streams: NotificationStreams,
  ) {}

  /** Newest first: `{ items, total, page, limit, unread }`; `unread=true` lists the unread ones only. */
  @Get()
  @RequirePermissions('profile:read')
  @ApiOkResponse({ type: NotificationListView })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: NotificationListQueryDto): Promise<NotificationListView> {
    const page = await this.notifications.call('listNotifications', { userId: principal.id, page: query.page ?? 1, limit: query.limit ?? 20, unreadOnly: query.unread === 'true' });
    return { items: page.items.map(toNotificationView), total: page.total, page: page.page, limit: page.limit, unread: page.unread };
  }

  /**
   * Server-Sent Events: each new notification as `event: notification` with `id:` (the shopper's
   * sequence number) and the item as `data`, a comment line as heartbeat. Reconnecting with
   * `Last-Event-ID` first sends what was missed. Open the stream, then read the list.
   */
  @Get('stream')
  @RequirePermissions('profile:read')
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The last `id:` received: what came after it is sent first' })
  @ApiOkResponse({ description: 'text/event-stream of `event: notification` frames' })
  async stream(@CurrentPrincipal() principal: Principal, @Headers('last-event-id') lastEventId: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    if (lastEventId !== undefined && !SEQUENCE.test(lastEventId.trim())) throw new BadRequestException('Last-Event-ID must be the id of a notification event');
    const after = lastEventId === undefined ? undefined : Number(lastEventId.trim());
    // Registered before reading what was missed: a notification made meanwhile waits in the stream.
    const stream = this.streams.register(principal.id, after ?? 0);
    reply.raw.once('close', () => this.streams.remove(stream));
    const missed: Array<{ seq: number; item: NotificationItemV1 }> = [];
    try {
      for (let cursor = after; cursor !== undefined; ) {
        const { items } = await this.notifications.call('listNotificationsSince', { userId: principal.id, afterSeq: cursor, limit: CATCH_UP_PAGE });
        for (const item of items) missed.push({ seq: item.seq, item: toNotificationView(item) });
        cursor = items.length === CATCH_UP_PAGE ? items[items.length - 1]!.seq : undefined;
      }
    } catch (error) {
      this.streams.remove(stream);
      throw error;
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // Proxies (nginx) must pass each frame on at once.
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n: connected\n\n');
    this.streams.attach(stream, res, missed);
  }

  @Post('read-all')
  @HttpCode(200)
  @RequirePermissions('profile:write')
  @ApiOkResponse({ type: MarkAllReadView })
  markAllRead(@CurrentPrincipal() principal: Principal): Promise<MarkAllReadView> {
    return this.notifications.call('markAllRead', { userId: principal.id });
  }

  /** Marks one of the shopper's notifications read; another shopper's is 404. */
  @Post(':id/read')
  @HttpCode(200)
  @RequirePermissions('profile:write')
  @ApiOkResponse({ type: NotificationView, description: 'The notification, with readAt' })
  async markRead(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<NotificationView> {
    return toNotificationView(await this.notifications.call('markRead', { userId: principal.id, notificationId: id }));
  }
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('users/me/notification-preferences')
export class NotificationPreferencesController {
  constructor(@Inject(NOTIFICATION_CLIENT) private readonly notifications: NotificationClient) {}

  /** `{ email: { orders, account, marketing }, inApp: { orders, account, marketing } }`; marketing is off until switched on. */
  @Get()
  @RequirePermissions('profile:read')
  @ApiOkResponse({ type: NotificationPreferencesDto })
  async get(@CurrentPrincipal() principal: Principal): Promise<NotificationPreferencesDto> {
    const preferences = await this.notifications.call('getPreferences', { userId: principal.id });
    return { email: preferences.email!, inApp: preferences.inApp! };
  }

  /** Replaces the preferences; `email.orders: false` is refused (400): order emails are transactional. */
  @Put()
  @RequirePermissions('profile:write')
  @ApiOkResponse({ type: NotificationPreferencesDto })
  async update(@CurrentPrincipal() principal: Principal, @Body() body: NotificationPreferencesDto): Promise<NotificationPreferencesDto> {
    const preferences = await this.notifications.call('updatePreferences', { userId: principal.id, preferences: { email: body.email, inApp: body.inApp } });
    return { email: preferences.email!, inApp: preferences.inApp! };
  }
}
