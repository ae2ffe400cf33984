// Every dp command, in one module that dp loads once it knows the command is not --help or --version:
// bundled, the commands and the engine they share are one file to load, not a dozen small ones.
export { doctorCommand } from './doctor.js';
export { graduateCommand } from './graduate.js';
export { personaCommand } from './persona.js';
export { profileCommand } from './profile.js';
export { statusCommand } from './status.js';
export { upgradeCommand } from './upgrade.js';
