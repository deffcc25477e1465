import { z } from 'zod';
import { uuid } from './money';

/** A shopper's in-app notification as clients see it (GET /api/v1/notifications, the live stream). */
export const NotificationItemV1 = z.object({
  id: uuid,
  type: z.string().min(1),
  title: z.string(),
  body: z.string(),
  data: z.record(z.string(), z.unknown()),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
export type NotificationItemV1 = z.infer<typeof NotificationItemV1>;

/**
 * notification.created v1: a new in-app notification for `userId`, keyed by the user. `seq` counts
 * that user's notifications (1, 2, 3… in commit order): live streams send it as the SSE `id:`, and
 * `Last-Event-ID` resumes after it. Every gateway replica hears every one and pushes it to the
 * streams it holds for that user.
 */
export const NotificationCreatedV1 = z.object({ userId: z.string().min(1), seq: z.number().int().positive(), notification: NotificationItemV1 });
export type NotificationCreatedV1 = z.infer<typeof NotificationCreatedV1>;
