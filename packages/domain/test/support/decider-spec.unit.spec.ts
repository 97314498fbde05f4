import { DeciderSpecification } from '@lapor/testing';

// The given/when/then helper lives in @lapor/testing; its own check sits here because this
// package is its first user. A specification helper that cannot fail would pass every spec.

type Command = { type: 'Add'; amount: number };
type Event = { type: 'Added'; amount: number };
class LimitError extends Error {
  readonly code = 'OVER_LIMIT';
}

const counter = DeciderSpecification.for<Command, Event, number>({
  initialState: () => 0,
  evolve: (total, event) => total + event.amount,
  decide: (command, total) => {
    if (total + command.amount > 10) throw new LimitError('over the limit');
    return [{ type: 'Added', amount: command.amount }];
  },
});

describe('DeciderSpecification', () => {
  it('passes when decide yields exactly the expected events from the given history', () => {
    counter
      .given([{ type: 'Added', amount: 4 }])
      .when({ type: 'Add', amount: 6 })
      .then([{ type: 'Added', amount: 6 }]);
  });

  it('fails when the events differ', () => {
    expect(() =>
      counter
        .given([])
        .when({ type: 'Add', amount: 2 })
        .then([{ type: 'Added', amount: 3 }]),
    ).toThrow();
    expect(() => counter.given([]).when({ type: 'Add', amount: 2 }).then([])).toThrow();
  });

  it('checks the refusal by code, and by class when asked', () => {
    const tooMuch = counter.given([{ type: 'Added', amount: 9 }]).when({ type: 'Add', amount: 2 });
    tooMuch.thenThrows('OVER_LIMIT');
    tooMuch.thenThrows(LimitError, 'OVER_LIMIT');
    tooMuch.thenThrows(LimitError);
    expect(() => tooMuch.thenThrows('SOMETHING_ELSE')).toThrow();
    expect(() => tooMuch.thenThrows(TypeError)).toThrow();
  });

  it('fails a refusal spec when the command is accepted', () => {
    expect(() => counter.given([]).when({ type: 'Add', amount: 1 }).thenThrows('OVER_LIMIT')).toThrow(/accepted/);
  });

  it('fails when the events decide emits cannot be applied', () => {
    const brittle = DeciderSpecification.for<Command, Event, number>({
      initialState: () => 0,
      evolve: () => {
        throw new Error('evolve cannot handle this');
      },
      decide: (command) => [{ type: 'Added', amount: command.amount }],
    });
    expect(() =>
      brittle
        .given([])
        .when({ type: 'Add', amount: 1 })
        .then([{ type: 'Added', amount: 1 }]),
    ).toThrow();
  });
});
