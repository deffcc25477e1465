import { testInfra } from './infra';

/** A message as Mailpit lists it. */
export interface MailSummary {
  ID: string;
  MessageID: string;
  From: { Name: string; Address: string };
  To: Array<{ Name: string; Address: string }>;
  Subject: string;
  Created: string;
}

/** A message with its bodies and headers, as Mailpit answers GET /api/v1/message/:id. */
export interface MailMessage extends MailSummary {
  Text: string;
  HTML: string;
}

/** What arrived at the test SMTP server (Mailpit), read through its HTTP API. */
export class Mailpit {
  constructor(readonly url: string = testInfra().mailpitUrl) {}

  /** Every message sent to `address`, newest first. */
  async to(address: string): Promise<MailSummary[]> {
    const response = await fetch(`${this.url}/api/v1/search?limit=500&query=${encodeURIComponent(`to:"${address}"`)}`);
    if (!response.ok) throw new Error(`Mailpit search answered ${response.status}: ${await response.text()}`);
    const { messages } = (await response.json()) as { messages: MailSummary[] };
    // The search matches words; keep exact recipients only.
    return messages.filter((message) => message.To.some((to) => to.Address.toLowerCase() === address.toLowerCase()));
  }

  async message(id: string): Promise<MailMessage> {
    const response = await fetch(`${this.url}/api/v1/message/${id}`);
    if (!response.ok) throw new Error(`Mailpit answered ${response.status} for message ${id}`);
    return (await response.json()) as MailMessage;
  }

  /** The raw headers of a message, each name with its values. */
  async headers(id: string): Promise<Record<string, string[]>> {
    const response = await fetch(`${this.url}/api/v1/message/${id}/headers`);
    if (!response.ok) throw new Error(`Mailpit answered ${response.status} for the headers of ${id}`);
    return (await response.json()) as Record<string, string[]>;
  }
}
