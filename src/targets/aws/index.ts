export { AwsError, toAwsError } from './aws-error.js';
export { clientConfig, describeEndpoint, type AwsClientConfig, type AwsService } from './client-config.js';
