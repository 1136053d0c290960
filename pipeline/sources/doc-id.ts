/**
 * @module Stable document ids: the same input read again yields the same ids, which is what
 * makes resumed runs and reruns comparable.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';

/** 96-bit hex id of a record, from the input's file name, the record's position and its URL. */
export function docId(input: string, offset: number, url: string): string {
  return createHash('sha256')
    .update(`${basename(input)}\n${offset}\n${url}`)
    .digest('hex')
    .slice(0, 24);
}

/** The host of a URL, lowercased, without `www.`; empty when the URL does not parse. */
export function domainOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
}
