export { COMMIT_FORMAT, GIT, parseCommit, type CommitInfo } from './commit-log.js';
