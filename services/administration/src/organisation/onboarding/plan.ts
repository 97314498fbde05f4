import type { OrganisationState, OrganisationTree } from '@lapor/domain';
import { z } from 'zod';
import type { SheetRow } from './sheet';

// What an instansi's uploaded unit list asks for, checked against the tree and the accounts before
// anything is written: each unit new or already there (a re-upload changes nothing), each liaison
// account new or already there, and every row's problem at once, in Bahasa Indonesia with its row
// number, as the instansi admin reads the sheet.

/** The columns, under the names the seeds' tables and officials use. */
const COLUMNS = {
  unit: ['unit kerja', 'unit', 'nama unit', 'perangkat daerah', 'opd'],
  parent: ['induk', 'unit induk', 'induk unit', 'parent'],
  code: ['kode', 'kode unit', 'id'],
  liaison: ['nama penghubung', 'penghubung', 'pejabat penghubung', 'nama pejabat penghubung'],
  email: ['email', 'e-mail', 'surel', 'email penghubung'],
} as const;
type Column = keyof typeof COLUMNS;
const LABEL: Readonly<Record<Column, string>> = { unit: 'Unit Kerja', parent: 'Induk', code: 'Kode', liaison: 'Nama Penghubung', email: 'Email' };

export interface PlannedUnit {
  readonly row: number;
  readonly id: string;
  readonly name: string;
  readonly parentId: string;
  readonly status: 'baru' | 'sudah ada';
}

export interface PlannedLiaison {
  readonly row: number;
  readonly email: string;
  readonly name: string;
  readonly unitId: string;
  readonly status: 'baru' | 'sudah ada';
}

export interface RowProblem {
  readonly row: number;
  readonly column: string;
  readonly message: string;
}

export interface OnboardingPlan {
  /** In the sheet's order. */
  readonly units: PlannedUnit[];
  /** The new units, parents before children: the order their commands run in. */
  readonly toAdd: PlannedUnit[];
  readonly liaisons: PlannedLiaison[];
  readonly problems: RowProblem[];
}

export interface ExistingAccount {
  readonly username: string;
  readonly nodeId: string;
  readonly role: string;
}

const normalise = (text: string): string => text.trim().replace(/\s+/g, ' ').toLocaleLowerCase('id');
const slug = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
const Email = z.email();
const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  .max(100);

/** Which header cell holds each column; the unit column is required. */
export function columnsOf(header: readonly string[]): Partial<Record<Column, number>> | null {
  const found: Partial<Record<Column, number>> = {};
  header.forEach((cell, index) => {
    const name = normalise(cell);
    for (const column of Object.keys(COLUMNS) as Column[]) {
      if (found[column] === undefined && (COLUMNS[column] as readonly string[]).includes(name)) found[column] = index;
    }
  });
  return found.unit === undefined ? null : found;
}

interface Draft {
  row: number;
  name: string;
  parentText: string;
  code: string;
  liaison: string;
  email: string;
}

export function planOnboarding(input: {
  readonly instansiId: string;
  readonly state: OrganisationState;
  readonly tree: OrganisationTree;
  readonly header: readonly string[];
  readonly rows: readonly SheetRow[];
  readonly accounts: readonly ExistingAccount[];
}): OnboardingPlan {
  const { instansiId, state, tree } = input;
  const columns = columnsOf(input.header)!;
  const problems: RowProblem[] = [];
  const problem = (row: number, column: Column, message: string) => problems.push({ row, column: LABEL[column], message: `Baris ${row}: ${message}` });
  const cell = (row: SheetRow, column: Column) => (columns[column] === undefined ? '' : (row.cells[columns[column]] ?? '').trim());
  const drafts: Draft[] = input.rows.map((row) => ({
    row: row.row,
    name: cell(row, 'unit').replace(/\s+/g, ' '),
    parentText: cell(row, 'parent'),
    code: cell(row, 'code').toLowerCase(),
    liaison: cell(row, 'liaison'),
    email: cell(row, 'email').toLowerCase(),
  }));

  // the instansi's active nodes as they stand: names to find parents and units already there
  const existing = [...state.nodes.values()].filter((entry) => entry.active && tree.has(entry.node.id) && tree.instansiOf(entry.node.id)?.id === instansiId);
  const existingByName = new Map<string, string[]>();
  for (const entry of existing) existingByName.set(normalise(entry.node.name), [...(existingByName.get(normalise(entry.node.name)) ?? []), entry.node.id]);

  // rows by name: each unit once in the file
  const byName = new Map<string, Draft>();
  const usable: Draft[] = [];
  for (const draft of drafts) {
    if (draft.name === '') {
      problem(draft.row, 'unit', 'kolom Unit Kerja kosong.');
      continue;
    }
    if (draft.name.length > 300) {
      problem(draft.row, 'unit', 'nama Unit Kerja lebih dari 300 karakter.');
      continue;
    }
    const earlier = byName.get(normalise(draft.name));
    if (earlier) {
      problem(draft.row, 'unit', `Unit Kerja "${draft.name}" sudah ada di baris ${earlier.row} (nama ganda).`);
      continue;
    }
    if (draft.code !== '' && !Slug.safeParse(draft.code).success) {
      problem(draft.row, 'code', `kode "${draft.code}" hanya boleh huruf kecil, angka dan tanda hubung.`);
      continue;
    }
    byName.set(normalise(draft.name), draft);
    usable.push(draft);
  }

  // ids: the code given, the unit already there, or one made from the name
  const taken = new Set(state.nodes.keys());
  const idOf = new Map<Draft, { id: string; status: 'baru' | 'sudah ada' }>();
  for (const draft of usable) {
    const there = existingByName.get(normalise(draft.name));
    if (there?.length === 1) {
      idOf.set(draft, { id: there[0]!, status: 'sudah ada' });
      continue;
    }
    if (draft.code !== '') {
      if (taken.has(draft.code)) problem(draft.row, 'code', `kode "${draft.code}" sudah dipakai unit lain.`);
      taken.add(draft.code);
      idOf.set(draft, { id: draft.code, status: 'baru' });
      continue;
    }
    const base = `${instansiId}-${slug(draft.name)}`.slice(0, 96).replace(/-+$/, '');
    let id = base;
    for (let suffix = 2; taken.has(id); suffix += 1) id = `${base}-${suffix}`;
    taken.add(id);
    idOf.set(draft, { id, status: 'baru' });
  }

  // parents: another row of the file, a unit already there (by name or id), or the instansi itself
  const parentOf = new Map<Draft, string>();
  for (const draft of usable) {
    if (draft.parentText === '') {
      parentOf.set(draft, instansiId);
      continue;
    }
    const inFile = byName.get(normalise(draft.parentText));
    const there = existingByName.get(normalise(draft.parentText)) ?? [];
    const byId = existing.find((entry) => entry.node.id === draft.parentText.toLowerCase());
    if (inFile === draft) problem(draft.row, 'parent', `Unit Kerja "${draft.name}" tidak bisa menjadi induk dirinya sendiri.`);
    else if (inFile) parentOf.set(draft, idOf.get(inFile)!.id);
    else if (there.length === 1) parentOf.set(draft, there[0]!);
    else if (there.length > 1) problem(draft.row, 'parent', `induk "${draft.parentText}" ambigu: ada ${there.length} unit dengan nama itu; tulis kodenya.`);
    else if (byId) parentOf.set(draft, byId.node.id);
    else problem(draft.row, 'parent', `induk "${draft.parentText}" tidak dikenal: bukan Unit Kerja di berkas ini maupun unit yang sudah terdaftar.`);
  }

  // parents before children; a loop among the file's rows is reported on each of its rows
  const ordered: Draft[] = [];
  const placed = new Set<string>([...existing.map((entry) => entry.node.id), instansiId]);
  let pending = usable.filter((draft) => parentOf.has(draft));
  while (pending.length > 0) {
    const ready = pending.filter((draft) => placed.has(parentOf.get(draft)!));
    if (ready.length === 0) {
      for (const draft of pending) problem(draft.row, 'parent', `induk "${draft.parentText}" melingkar: unit ini berada di bawah dirinya sendiri.`);
      break;
    }
    for (const draft of ready) {
      placed.add(idOf.get(draft)!.id);
      ordered.push(draft);
    }
    pending = pending.filter((draft) => !ready.includes(draft));
  }
  const units: PlannedUnit[] = ordered.map((draft) => {
    const { id, status } = idOf.get(draft)!;
    return { row: draft.row, id, name: draft.name, parentId: parentOf.get(draft)!, status };
  });
  for (const unit of units) {
    const current = state.nodes.get(unit.id);
    if (unit.status === 'sudah ada' && current && current.node.parentId !== unit.parentId) {
      problem(unit.row, 'parent', `Unit Kerja "${unit.name}" sudah terdaftar di bawah induk lain; pindahkan lewat perubahan struktur, bukan unggahan.`);
    }
  }

  // liaisons: a valid e-mail, once in the file, not already someone else's account
  const accountByUsername = new Map(input.accounts.map((account) => [account.username.toLowerCase(), account] as const));
  const emailRow = new Map<string, number>();
  const liaisons: PlannedLiaison[] = [];
  for (const draft of drafts) {
    if (draft.liaison === '' && draft.email === '') continue;
    if (draft.email === '') {
      problem(draft.row, 'email', `Nama Penghubung "${draft.liaison}" tanpa email.`);
      continue;
    }
    if (!Email.safeParse(draft.email).success) {
      problem(draft.row, 'email', `email "${draft.email}" tidak valid.`);
      continue;
    }
    const earlier = emailRow.get(draft.email);
    if (earlier !== undefined) {
      problem(draft.row, 'email', `email "${draft.email}" sudah dipakai di baris ${earlier}.`);
      continue;
    }
    emailRow.set(draft.email, draft.row);
    const unit = units.find((candidate) => candidate.row === draft.row);
    if (!unit) continue; // the row's unit has its own problem
    const account = accountByUsername.get(draft.email);
    if (account && (account.nodeId !== unit.id || account.role !== 'liaison')) {
      problem(draft.row, 'email', `email "${draft.email}" sudah dipakai akun lain.`);
      continue;
    }
    liaisons.push({ row: draft.row, email: draft.email, name: draft.liaison, unitId: unit.id, status: account ? 'sudah ada' : 'baru' });
  }

  problems.sort((a, b) => a.row - b.row);
  return { units: [...units].sort((a, b) => a.row - b.row), toAdd: units.filter((unit) => unit.status === 'baru'), liaisons, problems };
}
