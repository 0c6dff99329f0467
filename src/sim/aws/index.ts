export { startAwsStandIns, DEFAULT_SPOT_PRICES, type AwsStandIns, type AwsStandInOptions } from './aws-stand-ins.js';
export { startEc2Simulator, type Ec2Simulator, type Ec2SimulatorOptions } from './ec2-server.js';
export { Ec2Sim, DEFAULT_TIMING, type Ec2SimOptions } from './ec2-sim.js';
export { Ec2SimError, type SimInstance, type SimSpotRequest, type Ec2SimTiming, type Tag } from './ec2-types.js';
export { wildcardMatch } from './ec2-filters.js';
export { verifySigV4, type Credentials } from './sigv4-check.js';
export { installS3KeyOrder, denyListing, putKeysDirectly } from './s3-key-order.js';
