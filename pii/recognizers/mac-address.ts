/**
 * @module MAC_ADDRESS: six hex pairs joined by one separator (colons or dashes), or Cisco's three
 * dotted groups of four.
 */
import { DIGIT_TRIGGER, patternRecognizer } from '../recognizer.js';

export const macAddressRecognizer = patternRecognizer({
  name: 'mac-address',
  entity: 'MAC_ADDRESS',
  trigger: DIGIT_TRIGGER,
  patterns: [
    { regex: /(?<![\w:-])[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![\w:-])/g, score: 0.8 },
    { regex: /(?<![\w.])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![\w.])/g, score: 0.6 },
  ],
  context: ['mac', 'mac address', 'hardware address', 'ethernet', 'wifi', 'wlan', 'bssid', 'device'],
});
