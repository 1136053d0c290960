/**
 * @module The default recognizer registry. A new entity type is one file in recognizers/ and one
 * line here.
 */
import type { Recognizer } from './recognizer.js';
import { abaRoutingRecognizer } from './recognizers/aba-routing.js';
import { creditCardRecognizer } from './recognizers/credit-card.js';
import { cryptoRecognizer } from './recognizers/crypto.js';
import { dateTimeRecognizer } from './recognizers/date-time.js';
import { emailRecognizer } from './recognizers/email.js';
import { ibanRecognizer } from './recognizers/iban.js';
import { createIpAddressRecognizer, type NonPublicIpPolicy } from './recognizers/ip-address.js';
import { macAddressRecognizer } from './recognizers/mac-address.js';
import { createNamesRecognizer } from './recognizers/names.js';
import { createPhoneRecognizer } from './recognizers/phone.js';
import { keyValueSecretRecognizer, privateKeyRecognizer, secretRecognizer } from './recognizers/secret.js';
import { streetAddressRecognizer } from './recognizers/street-address.js';
import { ukNhsRecognizer } from './recognizers/uk-nhs.js';
import { ukNinoRecognizer } from './recognizers/uk-nino.js';
import { urlRecognizer } from './recognizers/url.js';
import { usBankNumberRecognizer } from './recognizers/us-bank-number.js';
import { usDriverLicenseRecognizer } from './recognizers/us-driver-license.js';
import { usItinRecognizer } from './recognizers/us-itin.js';
import { usPassportRecognizer } from './recognizers/us-passport.js';
import { usSsnRecognizer } from './recognizers/us-ssn.js';

export interface RegistryOptions {
  /** Region for phone numbers written without a country code (ISO 3166-1 alpha-2, default "US"). */
  defaultRegion?: string;
  /** PERSON, LOCATION and ORGANIZATION: the costliest recognizer; off trades recall for speed. */
  names?: boolean;
  /** What to do with private, loopback and documentation-range IP addresses (default: redact). */
  nonPublicIp?: NonPublicIpPolicy;
}

export function defaultRecognizers(opts: RegistryOptions = {}): Recognizer[] {
  return [
    emailRecognizer,
    createPhoneRecognizer({ defaultRegion: opts.defaultRegion ?? 'US' }),
    creditCardRecognizer,
    ibanRecognizer,
    usSsnRecognizer,
    usItinRecognizer,
    usPassportRecognizer,
    usDriverLicenseRecognizer,
    usBankNumberRecognizer,
    abaRoutingRecognizer,
    ukNhsRecognizer,
    ukNinoRecognizer,
    createIpAddressRecognizer({ nonPublic: opts.nonPublicIp ?? 'redact' }),
    macAddressRecognizer,
    urlRecognizer,
    cryptoRecognizer,
    dateTimeRecognizer,
    streetAddressRecognizer,
    secretRecognizer,
    privateKeyRecognizer,
    keyValueSecretRecognizer,
    ...(opts.names === false ? [] : [createNamesRecognizer()]),
  ];
}
