export { buildGateway, GATEWAY_TAGS, type GatewayOptions } from './app';
export type { ServiceUrls } from './proxy';
