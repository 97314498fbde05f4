export { ReporterIdentity } from './identity';
export { derivedKey, masterKey, SealError, type MasterKey } from './envelope';
export { MASTER_KEY_FILE, MASTER_KEY_VARIABLE, masterKeyFromEnv, masterKeyFromFolder, type MasterKeyFromFolder } from './master-key';
export { PersonalDataVault, type SealedIdentity } from './vault';
