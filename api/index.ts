/**
 * @module The marketplace's public face: the server, the GraphQL app and schema, and the config.
 */
export { startServer, type MarketServer } from './server.js';
export { createGraphqlApp, CSRF_HEADER, type GraphqlApp } from './app.js';
export { createMarket, type Market } from './market.js';
export { parseServeConfig, serveConfigSchema, type ServeConfig } from './config.js';
export { schema } from './schema/index.js';
export { formatSignInMessage, parseSignInMessage } from './sign-in.js';
