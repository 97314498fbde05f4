import { z } from 'zod';
import { DestinationPolicy, parseNetworks } from './destinations';

/**
 * Where receivers may be, from the environment: read alike by the webhooks service and by the
 * gateway, whether it serves the subscription routes itself or declares them to forward, so a URL
 * is judged by one rule wherever it is registered. LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST=true lets
 * subscribers register http://localhost URLs (development and tests only); LAPOR_WEBHOOK_ALLOW_NETWORKS
 * lists non-public networks receivers may be in (CIDRs, comma separated; default none).
 */
export const ReceiverSettings = {
  LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST: z.enum(['true', 'false']).default('false'),
  LAPOR_WEBHOOK_ALLOW_NETWORKS: z
    .string()
    .default('')
    .transform((text, check) => {
      try {
        return parseNetworks(text);
      } catch (error) {
        check.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
};

/** What the routes check a receiver's URL by. */
export interface ReceiverRules {
  readonly allowInsecureLocalhost: boolean;
  readonly allowNetworks: readonly string[];
}

export const receiverRules = (settings: {
  LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST: 'true' | 'false';
  LAPOR_WEBHOOK_ALLOW_NETWORKS: string[];
}): ReceiverRules => ({
  allowInsecureLocalhost: settings.LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST === 'true',
  allowNetworks: settings.LAPOR_WEBHOOK_ALLOW_NETWORKS,
});

/** The route options these rules make: production's (https, public addresses) when none are given. */
export const receiverRouteOptions = (rules: ReceiverRules | undefined): { allowInsecureLocalhost: boolean; destinations: DestinationPolicy } => ({
  allowInsecureLocalhost: rules?.allowInsecureLocalhost ?? false,
  destinations: new DestinationPolicy(rules?.allowNetworks),
});
