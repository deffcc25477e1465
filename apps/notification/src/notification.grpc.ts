import { Injectable } from '@nestjs/common';
import { notificationV1 } from '@shop/contracts';
import { AppError } from '@shop/errors';
import type { ServiceHandlers } from '@shop/grpc';
import { assertUserId, NotificationsService, type StoredNotification } from './notifications/notifications.service';
import { type ChannelPreferences, type Preferences, PreferencesService } from './preferences/preferences.service';

function toNotification(notification: StoredNotification): notificationV1.Notification {
  return {
    id: notification.id,
    seq: notification.seq,
    type: notification.type,
    title: notification.title,
    body: notification.body,
    dataJson: JSON.stringify(notification.data ?? {}),
    readAt: notification.readAt?.toISOString() ?? '',
    createdAt: notification.createdAt.toISOString(),
  };
}

function channel(value: notificationV1.ChannelPreferences | undefined, name: string): ChannelPreferences {
  if (!value) throw AppError.invalid(`preferences.${name} is required`);
  return { orders: value.orders, account: value.account, marketing: value.marketing };
}

const toPreferences = (preferences: Preferences): notificationV1.Preferences => ({ email: preferences.email, inApp: preferences.inApp });

/** The NotificationService contract, mapped onto a user's notifications and preferences. */
@Injectable()
export class NotificationGrpcHandlers implements ServiceHandlers<typeof notificationV1.NotificationServiceService> {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly preferences: PreferencesService,
  ) {}

  async listNotifications(request: notificationV1.ListNotificationsRequest): Promise<notificationV1.ListNotificationsResponse> {
    const page = await this.notifications.list(request.userId, request.page, request.limit, request.unreadOnly);
    return { ...page, items: page.items.map(toNotification) };
  }

  async listNotificationsSince(request: notificationV1.ListNotificationsSinceRequest): Promise<notificationV1.ListNotificationsSinceResponse> {
    return { items: (await this.notifications.since(request.userId, request.afterSeq, request.limit)).map(toNotification) };
  }

  async markRead(request: notificationV1.MarkReadRequest): Promise<notificationV1.Notification> {
    return toNotification(await this.notifications.markRead(request.userId, request.notificationId));
  }

  markAllRead(request: notificationV1.MarkAllReadRequest): Promise<notificationV1.MarkAllReadResponse> {
    return this.notifications.markAllRead(request.userId);
  }

  async getPreferences(request: notificationV1.GetPreferencesRequest): Promise<notificationV1.Preferences> {
    return toPreferences(await this.preferences.get(assertUserId(request.userId)));
  }

  async updatePreferences(request: notificationV1.UpdatePreferencesRequest): Promise<notificationV1.Preferences> {
    const wanted = request.preferences;
    if (!wanted) throw AppError.invalid('preferences are required');
    const preferences = { email: channel(wanted.email, 'email'), inApp: channel(wanted.inApp, 'in_app') };
    return toPreferences(await this.preferences.update(assertUserId(request.userId), preferences));
  }
}
