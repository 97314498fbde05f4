import { decideOrganisation } from './decide';
import { evolveOrganisation, initialOrganisationState } from './state';

/**
 * The organisation tree as a decider. One stream holds the whole tree (ORGANISATION_STREAM), not one
 * per instansi: its rules span nodes (ids unique across the country, a move checked against the
 * whole parent chain, a deactivation against the children), every process follows the tree by
 * reading one stream from the version it last saw (one indexed query), and the appends it takes are
 * rare (administrators, a few a day), so one expected version for the tree costs nobody a real wait;
 * a conflict is a 409 the administrator retries on the fresh tree.
 */
export const organisationDecider = { decide: decideOrganisation, evolve: evolveOrganisation, initialState: initialOrganisationState } as const;
