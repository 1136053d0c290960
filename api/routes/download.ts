/**
 * @module GET/HEAD /download/<datasetId>/<file>: a signed link (see signed-links.ts) to one
 * Parquet file or the manifest of a dataset version, streamed from disk with range support.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CatalogError } from '../../catalog/index.js';
import { checkSignedLink } from '../access.js';
import type { Market } from '../market.js';
import { NotARegularFileError, sendFile } from '../file-response.js';
import { decodePath, sendJson } from './http.js';

export async function handleDownload(market: Market, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'GET or HEAD' });
  const check = checkSignedLink(market, url);
  if (!check.ok) return sendJson(res, check.status, { error: `${url.pathname}: ${check.reason}` });
  const [, , idPart, ...rest] = url.pathname.split('/').map(decodePath);
  if (idPart === null || rest.includes(null)) return sendJson(res, 400, { error: `${url.pathname}: not valid percent-encoding` });
  const datasetId = idPart ?? '';
  const file = rest.join('/');
  let dataset;
  try {
    dataset = await market.catalog.getDataset(datasetId);
  } catch (err) {
    if (err instanceof CatalogError && err.code === 'DATASET_NOT_FOUND') return sendJson(res, 404, { error: `dataset ${datasetId} not found` });
    throw err;
  }
  try {
    if (file === 'manifest.json') {
      return await sendFile(
        req,
        res,
        { root: dataset.path, path: 'manifest.json' },
        { contentType: 'application/json', etag: `${dataset.id}-manifest`, downloadName: `${dataset.slug}-${dataset.version}-manifest.json` },
      );
    }
    // Only files the manifest lists: the signed path cannot reach anything else under the home.
    const entry = dataset.files.find((f) => f.path === file);
    if (!entry) return sendJson(res, 404, { error: `dataset ${dataset.id} has no file ${file}` });
    await sendFile(
      req,
      res,
      { root: dataset.path, path: entry.path },
      {
        contentType: 'application/vnd.apache.parquet',
        etag: entry.sha256,
        downloadName: `${dataset.slug}-${dataset.version}-${entry.path.split('/').pop() ?? 'data.parquet'}`,
      },
    );
  } catch (err) {
    // A version published before links were refused may hold one: it is the operator's to republish.
    if (err instanceof NotARegularFileError) {
      market.logError(`download of ${dataset.id}: ${err.message}`);
      return sendJson(res, 500, { error: `dataset ${dataset.id}: ${err.message}; the operator must publish it again` });
    }
    throw err;
  }
}
