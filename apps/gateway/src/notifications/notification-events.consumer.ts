import { Injectable } from '@nestjs/common';
import { EventConsumer, type EventConsumerProvider } from '@shop/messaging';
import { NotificationStreams } from './notification-streams';

/** Every gateway replica hears every new notification and pushes it to the streams it holds for that user. */
@Injectable()
export class NotificationEventsConsumer implements EventConsumerProvider {
  constructor(private readonly streams: NotificationStreams) {}

  consumer(): EventConsumer {
    return new EventConsumer('gateway.notification-streams', { broadcast: true }).onBatchInOrder(['notification.created'], async (events) => {
      for (const event of events) this.streams.publish(event.payload);
    });
  }
}
