/**
 * Stands in for a part that is not opened here (a database, a store, a service's opened tables)
 * where routes are only declared: the API document, built with no database, and the gateway
 * forwarding a service's routes to the process that owns them. Reading through it is allowed (a
 * plugin may take `opened.policy` apart when it registers); calling anything reached through it
 * throws, naming the part. So a route declaration that opened a table or read a stream fails at
 * once, where it is written, instead of quietly working on a stub.
 */
export function notOpened<T>(what: string): T {
  return standIn(what, what) as T;
}

function standIn(what: string, path: string): unknown {
  const target = function notOpenedPart(): void {};
  return new Proxy(target, {
    get(_target, property) {
      // not a thenable: `await notOpened(...)` must not look like a promise that never settles
      if (property === 'then') return undefined;
      if (typeof property === 'symbol') return undefined;
      return standIn(what, `${path}.${property}`);
    },
    apply() {
      throw new Error(`${path}(): ${what} is not opened in this process (its routes were only declared here)`);
    },
    construct() {
      throw new Error(`new ${path}(): ${what} is not opened in this process (its routes were only declared here)`);
    },
  });
}
