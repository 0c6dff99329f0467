export { EtlTargets } from './etl-targets.js';
