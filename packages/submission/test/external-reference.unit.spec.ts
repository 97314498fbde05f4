import { differingFields, integrationScope, type SubmittedContent } from '../src/external-reference';

const content: SubmittedContent = {
  kind: 'pengaduan',
  channel: 'integration',
  title: 'Jalan rusak',
  description: 'Berlubang sejak Maret',
  occurredOn: null,
  location: null,
  addressedTo: 'ntt',
  anonymous: false,
  confidential: false,
  externalReference: 'SIMPEL-991',
};

describe('an external reference names one complaint', () => {
  it('scopes an agency system by its instansi (keys rotate) and a national system by its key; others have none', () => {
    expect(integrationScope({ role: 'integration', id: 'key-1', nodeId: 'ntt' })).toBe('instansi:ntt');
    expect(integrationScope({ role: 'integration', id: 'key-2', nodeId: 'ntt' })).toBe('instansi:ntt');
    expect(integrationScope({ role: 'integration', id: 'sms-key', nodeId: null })).toBe('key:sms-key');
    expect(integrationScope({ role: 'admin_instansi', id: 'admin', nodeId: 'ntt' })).toBeNull();
    expect(integrationScope({ role: 'reporter', id: 'rpt-1', nodeId: null })).toBeNull();
  });
});

describe('a resubmission compared with what was recorded', () => {
  const identity = { name: 'Maria Goreti', phone: '+6281234567890' };

  it('given the same content and identity, then no difference (the order of identity fields does not matter)', () => {
    expect(differingFields(content, { ...content }, { recorded: identity, incoming: { phone: '+6281234567890', name: 'Maria Goreti' } })).toEqual([]);
  });

  it('given another title and description, then those fields are named', () => {
    expect(differingFields(content, { ...content, title: 'Lain', description: 'Lain' }, { recorded: null, incoming: null })).toEqual(['title', 'description']);
  });

  it('given another identity, or one where none was recorded, then reporter is named', () => {
    expect(differingFields(content, content, { recorded: identity, incoming: { ...identity, name: 'Orang lain' } })).toEqual(['reporter']);
    expect(differingFields(content, content, { recorded: null, incoming: identity })).toEqual(['reporter']);
  });

  it('given an identity erased since, then it is not compared: nothing is left to compare with', () => {
    expect(differingFields(content, content, { recorded: 'erased', incoming: identity })).toEqual([]);
  });
});
