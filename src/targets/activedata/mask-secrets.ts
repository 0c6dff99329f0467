/** supervisord.conf is masked by the one masker of the bot (src/secret-mask.ts), as logs are. */
export { maskConfig as maskSecrets, MASK } from '../../secret-mask.js';
