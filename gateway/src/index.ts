export { buildGateway, GATEWAY_TAGS, type GatewayOptions } from './app';
