import { decide } from './decide';
import { evolve } from './evolve';
import { initialState } from './state';

/** The three functions together, as a command handler or a specification takes them. */
export const complaintDecider = { decide, evolve, initialState } as const;
