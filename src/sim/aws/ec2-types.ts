export interface Tag {
  key: string;
  value: string;
}

/** EC2's instance state names and their codes (the low byte of instanceState.code). */
export const STATE_CODES = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
} as const;
export type InstanceState = keyof typeof STATE_CODES;

export interface SimInstance {
  id: string;
  type: string;
  zone: string;
  imageId: string;
  privateIp: string;
  state: InstanceState;
  launchTime: number;
  /** When it leaves `pending` (and `shutting-down`). */
  runningAt: number;
  terminatedAt?: number;
  stateReason?: string;
  spotRequestId?: string;
  tags: Tag[];
}

export type SpotState = 'open' | 'active' | 'closed' | 'cancelled' | 'failed';

export interface SimSpotRequest {
  id: string;
  /** The bid, $/hour. */
  price: number;
  type: string;
  zone: string;
  imageId: string;
  requestType: 'one-time' | 'persistent';
  state: SpotState;
  statusCode: string;
  statusMessage: string;
  statusAt: number;
  createTime: number;
  /** When EC2 will launch its instance, if the price and capacity allow. */
  fulfilAt: number;
  instanceId?: string;
  tags: Tag[];
}

export interface PricePoint {
  type: string;
  zone: string;
  price: number;
  at: number;
}

/** An error EC2 answers with: its code, message and HTTP status. */
export class Ec2SimError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface Ec2SimTiming {
  /** Open request → instance launched (pending). */
  fulfilMs: number;
  /** pending → running. */
  bootMs: number;
  /** shutting-down → terminated. */
  shutdownMs: number;
}
