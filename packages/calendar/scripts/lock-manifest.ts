// Locks newly appended revisions of the bundled holiday data (or of the directory given as the
// first argument) into its manifest.json. Run after adding a year or an amendment revision.
import { BUNDLED_DATA_DIR, lockDirectory } from '../src';

const dir = process.argv[2] ?? BUNDLED_DATA_DIR;
const locked = lockDirectory(dir);
console.log(
  locked.length === 0 ? `${dir}: nothing new to lock` : locked.map(({ year, newlyLocked }) => `${year}: locked ${newlyLocked} new revision(s)`).join('\n'),
);
