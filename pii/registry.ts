/**
 * @module The default recognizer registry. A new entity type is one file in recognizers/ and one
 * line here.
 */
import type { Recognizer } from './recognizer.js';
import { creditCardRecognizer } from './recognizers/credit-card.js';
import { emailRecognizer } from './recognizers/email.js';
import { ibanRecognizer } from './recognizers/iban.js';
import { ipAddressRecognizer } from './recognizers/ip-address.js';
import { createPersonRecognizer } from './recognizers/person.js';
import { createPhoneRecognizer } from './recognizers/phone.js';
import { usSsnRecognizer } from './recognizers/us-ssn.js';

export function defaultRecognizers(opts: { defaultRegion?: string; names?: boolean } = {}): Recognizer[] {
  return [
    emailRecognizer,
    createPhoneRecognizer({ defaultRegion: opts.defaultRegion ?? 'US' }),
    creditCardRecognizer,
    ibanRecognizer,
    usSsnRecognizer,
    ipAddressRecognizer,
    ...(opts.names === false ? [] : [createPersonRecognizer()]),
  ];
}
