// Integration and end-to-end tests start brokers and databases and push real load through them.
jest.setTimeout(120_000);
