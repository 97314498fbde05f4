/** The roles a staff account can hold; reporters and integrating systems have no account here. */
export type StaffRole = 'admin_nasional' | 'admin_instansi' | 'liaison';
export const STAFF_ROLES: readonly StaffRole[] = ['admin_nasional', 'admin_instansi', 'liaison'];
