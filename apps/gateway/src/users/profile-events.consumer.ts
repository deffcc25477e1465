import { Inject, Injectable } from '@nestjs/common';
import { EventConsumer, type EventConsumerProvider } from '@shop/messaging';
import type { AnswerCache } from '../caching/answer-cache';
import { PROFILE_CACHE } from '../caching/answer-caches.provider';

/** The tag of every kept answer made from one user's profile. */
export const profileTag = (userId: string) => `user:${userId}`;

/** Every gateway replica hears every profile change and drops its copy of that profile. */
@Injectable()
export class ProfileEventsConsumer implements EventConsumerProvider {
  constructor(@Inject(PROFILE_CACHE) private readonly cache: AnswerCache) {}

  consumer(): EventConsumer {
    return new EventConsumer('gateway.profile-cache', { broadcast: true }).onBatchInOrder(['user.profile_changed'], async (events) => {
      this.cache.invalidate(events.map((event) => profileTag(event.payload.profile.userId)));
    });
  }
}
