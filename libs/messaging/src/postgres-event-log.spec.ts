import { concernsTopics, notificationPayload } from './postgres-event-log';

describe('event log notifications', () => {
  it('name each published topic once', () => {
    expect(notificationPayload(['order.created', 'inventory.commands', 'order.created'])).toBe('order.created\ninventory.commands');
  });

  it('wake only the consumers of a published topic', () => {
    const payload = notificationPayload(['order.created', 'inventory.commands']);
    expect(concernsTopics(payload, ['payment.commands', 'inventory.commands'])).toBe(true);
    expect(concernsTopics(payload, ['user.registered'])).toBe(false);
    // A prefix of a topic is another topic.
    expect(concernsTopics(payload, ['order.create'])).toBe(false);
  });

  it('wake everyone when the topics do not fit in a notification', () => {
    const topics = Array.from({ length: 1000 }, (_, i) => `some.topic.${i}`);
    expect(notificationPayload(topics)).toBe('');
    expect(concernsTopics('', ['user.registered'])).toBe(true);
  });
});
