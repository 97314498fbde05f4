import { z } from 'zod';
import { canBeChildOf, IndonesianTimeZone, OrganisationNode } from './nodes';

// Checks on a node list before it becomes a tree: one nasional root, parents that exist and
// have the right kind, a time zone on every instansi, no loops.

export type OrganisationProblemCode =
  'INVALID_NODE' | 'MISSING_TIME_ZONE' | 'DUPLICATE_ID' | 'NO_ROOT' | 'MULTIPLE_ROOTS' | 'UNKNOWN_PARENT' | 'WRONG_PARENT_KIND' | 'CYCLE';

export type OrganisationProblem = { code: OrganisationProblemCode; nodeId: string | null; message: string };

export class OrganisationTreeError extends Error {
  constructor(readonly problems: readonly OrganisationProblem[]) {
    super(`Invalid organisation tree: ${problems.map((p) => `${p.code}${p.nodeId ? ` (${p.nodeId})` : ''}`).join(', ')}`);
    this.name = 'OrganisationTreeError';
  }
}

/**
 * Every problem in a node list at once, so an administrator fixing the data sees them all
 * rather than one per attempt. The input is typed loosely on purpose: it usually comes from
 * a file or a database an administrator edits.
 */
export function validateOrganisation(input: readonly unknown[]): OrganisationProblem[] {
  const problems: OrganisationProblem[] = [];
  const nodes = new Map<string, OrganisationNode>();

  for (const raw of input) {
    const parsed = OrganisationNode.safeParse(raw);
    const rawId = idOf(raw);
    if (!parsed.success) {
      const missingZone = isObject(raw) && raw['kind'] === 'instansi' && !IndonesianTimeZone.safeParse(raw['timeZone']).success;
      problems.push(
        missingZone
          ? { code: 'MISSING_TIME_ZONE', nodeId: rawId, message: 'an instansi needs a time zone (WIB, WITA or WIT)' }
          : { code: 'INVALID_NODE', nodeId: rawId, message: z.prettifyError(parsed.error) },
      );
      continue;
    }
    if (nodes.has(parsed.data.id)) {
      problems.push({ code: 'DUPLICATE_ID', nodeId: parsed.data.id, message: 'node id used twice' });
      continue;
    }
    nodes.set(parsed.data.id, parsed.data);
  }

  const roots = [...nodes.values()].filter((node) => node.kind === 'nasional');
  if (roots.length === 0) problems.push({ code: 'NO_ROOT', nodeId: null, message: 'the tree needs one nasional node' });
  for (const extra of roots.slice(1)) {
    problems.push({ code: 'MULTIPLE_ROOTS', nodeId: extra.id, message: 'only one nasional node is allowed' });
  }

  for (const node of nodes.values()) {
    if (node.parentId === null) continue;
    const parent = nodes.get(node.parentId);
    if (!parent) {
      problems.push({ code: 'UNKNOWN_PARENT', nodeId: node.id, message: `parent ${node.parentId} does not exist` });
    } else if (!canBeChildOf(node.kind, parent.kind)) {
      problems.push({ code: 'WRONG_PARENT_KIND', nodeId: node.id, message: `a ${node.kind} cannot sit under a ${parent.kind}` });
    }
  }

  problems.push(...findCycles(nodes));
  return problems;
}

// Parent kinds already forbid most loops; sub-units may nest, so a loop among them is
// still possible and would make every upward walk run forever.
function findCycles(nodes: ReadonlyMap<string, OrganisationNode>): OrganisationProblem[] {
  const problems: OrganisationProblem[] = [];
  const reported = new Set<string>();
  for (const start of nodes.values()) {
    const seen = new Set<string>();
    let current: OrganisationNode | undefined = start;
    while (current && current.parentId !== null) {
      if (seen.has(current.id)) {
        if (!reported.has(current.id)) {
          seen.forEach((id) => reported.add(id));
          problems.push({ code: 'CYCLE', nodeId: current.id, message: 'the parent chain loops back on itself' });
        }
        break;
      }
      seen.add(current.id);
      current = nodes.get(current.parentId);
    }
  }
  return problems;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const idOf = (value: unknown): string | null => (isObject(value) && typeof value['id'] === 'string' ? value['id'] : null);
