/**
 * SMS behind a provider interface. The default provider sends nothing: the outbox row itself is the
 * record (status `recorded`), so nothing leaves the machine until an operator installs a real
 * provider (a gateway adapter calling `setSmsProvider` at start-up).
 */
export interface SmsProvider {
  /** Stored on the message as its provider. */
  name: string;
  /** Hands one text to the gateway; resolves with the gateway's reference, throws on refusal. */
  send(to: string, text: string): Promise<{ ref: string }>;
}

/** Records only: the message stays in the outbox as `recorded`. */
export const recordingSmsProvider: SmsProvider = {
  name: 'record',
  async send() {
    return { ref: '' };
  },
};

let current: SmsProvider = recordingSmsProvider;

export function setSmsProvider(p: SmsProvider | null): void {
  current = p ?? recordingSmsProvider;
}
export function smsProvider(): SmsProvider {
  return current;
}
/** Whether the provider delivers (sent) or only records (recorded). */
export const smsDelivers = (p: SmsProvider): boolean => p !== recordingSmsProvider;
