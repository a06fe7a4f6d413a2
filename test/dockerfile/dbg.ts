import { parseDockerfile } from '../../src/analysis/dockerfile/parse.js';
const m = parseDockerfile('D', '\nFROM --platform=$TARGETPLATFORM scratch\n');
console.log(JSON.stringify(m.stages), JSON.stringify(m.instructions));
