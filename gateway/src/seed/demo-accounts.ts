import type { NewStaffAccount } from '@lapor/accounts';
import { NTT_ID } from './demo-organisation';

/** One demo account per role, all with the same password (LAPOR_DEMO_PASSWORD, or the default below). */
export const DEFAULT_DEMO_PASSWORD = 'lapor-demo-2026';

export function demoAccounts(password: string): NewStaffAccount[] {
  return [
    { username: 'admin-nasional', role: 'admin_nasional', nodeId: 'nasional', password },
    { username: 'admin-ntt', role: 'admin_instansi', nodeId: NTT_ID, password },
    { username: 'penghubung-pupr', role: 'liaison', nodeId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat', password },
    { username: 'penghubung-dikbud', role: 'liaison', nodeId: 'ntt-dinas-pendidikan-dan-kebudayaan', password },
  ];
}
