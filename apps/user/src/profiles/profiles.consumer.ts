import { Injectable } from '@nestjs/common';
import { EventConsumer, type EventConsumerProvider } from '@shop/messaging';
import { PROFILE_CONSUMER, ProfilesService } from './profiles.service';

/** Makes a profile for every new account, from user.registered. */
@Injectable()
export class ProfilesConsumer implements EventConsumerProvider {
  constructor(private readonly profiles: ProfilesService) {}

  consumer(): EventConsumer {
    return new EventConsumer(PROFILE_CONSUMER).on('user.registered', async (event) => {
      await this.profiles.onUserRegistered(event.id, event.payload);
    });
  }
}
