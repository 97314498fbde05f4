export { ReporterIdentity } from './identity';
export { derivedKey, masterKey, SealError, type MasterKey } from './envelope';
export { directoryKeyStore, KEY_DIR_VARIABLE, memoryKeyStore, type EpochKeyStore } from './epoch-keys';
export { MASTER_KEY_FILE, MASTER_KEY_VARIABLE, masterKeyFromEnv, masterKeyFromFolder, type MasterKeyFromFolder } from './master-key';
export { PersonalDataVault, SHRED_WITHIN_MS, type SealedIdentity, type VaultOptions } from './vault';
