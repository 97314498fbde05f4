// Given / when / then for a decider, with jest's expect:
//
//   const spec = DeciderSpecification.for(complaintDecider);
//   spec.given([submitted, verified]).when(dispose).then([disposed]);
//   spec.given([submitted]).when(dispose).thenThrows('NOT_VERIFIED');
//
// Generic on purpose: it knows nothing of any domain, only of decide / evolve / initialState.

export type Decider<Command, Event, State> = {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
};

type ErrorClass = abstract new (...args: never[]) => Error;

export type WhenClause<Event> = {
  /** The command is accepted and yields exactly these events, in this order. */
  then(expected: Event[]): void;
  /** The command is refused with an error whose `code` is this one. */
  thenThrows(code: string): void;
  /** The command is refused with an error of this class (and this `code`, if given). */
  thenThrows(errorClass: ErrorClass, code?: string): void;
};

export type GivenClause<Command, Event> = { when(command: Command): WhenClause<Event> };

export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>): { given(events: Event[]): GivenClause<Command, Event> } {
    return {
      given: (events) => ({
        when: (command) => {
          // Replay lazily, inside the assertion, so a throwing evolve fails the test that uses it.
          const state = () => events.reduce(decider.evolve, decider.initialState());
          const run = (): { events: Event[]; state: State } => {
            const before = state();
            return { events: decider.decide(command, before), state: before };
          };

          return {
            then(expected) {
              const result = run();
              expect(result.events).toEqual(expected);
              // The new events must apply too: evolve has to handle whatever decide emits.
              expect(() => result.events.reduce(decider.evolve, result.state)).not.toThrow();
            },
            thenThrows(codeOrClass: string | ErrorClass, code?: string) {
              const expectedClass = typeof codeOrClass === 'string' ? undefined : codeOrClass;
              const expectedCode = typeof codeOrClass === 'string' ? codeOrClass : code;
              let thrown: unknown = undefined;
              let threw = false;
              try {
                run();
              } catch (error) {
                threw = true;
                thrown = error;
              }
              if (!threw) throw new Error(`expected the command to be refused${expectedCode ? ` with ${expectedCode}` : ''}, but it was accepted`);
              if (expectedClass) expect(thrown).toBeInstanceOf(expectedClass);
              if (expectedCode !== undefined) {
                // Compared as a plain object so a mismatch prints the code and message received.
                expect(describeError(thrown)).toMatchObject({ code: expectedCode });
              }
            },
          };
        },
      }),
    };
  },
};

function describeError(error: unknown): { code: unknown; message: unknown } {
  if (typeof error !== 'object' || error === null) return { code: undefined, message: error };
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { code, message };
}
