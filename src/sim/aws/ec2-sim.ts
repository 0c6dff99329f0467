import {
  Ec2SimError,
  type Ec2SimTiming,
  type InstanceState,
  type PricePoint,
  type SimInstance,
  type SimSpotRequest,
  type Tag,
} from './ec2-types.js';

export interface Ec2SimOptions {
  timing?: Partial<Ec2SimTiming>;
  /** Current spot prices by `type/zone`; each becomes a history point a day ago. */
  prices?: Record<string, number>;
  now?: () => number;
}

export const DEFAULT_TIMING: Ec2SimTiming = { fulfilMs: 30_000, bootMs: 60_000, shutdownMs: 30_000 };

/**
 * The EC2 state the simulator keeps: spot requests that EC2 fulfils after a while when the bid
 * covers the price, instances that boot, run and shut down, tags, and the spot price history.
 * Time moves with the clock: every read first applies the transitions that are due.
 */
export class Ec2Sim {
  readonly instances = new Map<string, SimInstance>();
  readonly requests = new Map<string, SimSpotRequest>();
  readonly priceHistory: PricePoint[] = [];
  readonly timing: Ec2SimTiming;
  readonly now: () => number;
  /** Instance types EC2 has no capacity for: their requests stay open with capacity-not-available. */
  readonly noCapacity = new Set<string>();
  /** Per instance type, the error RequestSpotInstances answers with (e.g. MaxSpotInstanceCountExceeded). */
  readonly refuseRequests = new Map<string, { code: string; message: string }>();
  private seq = 0;

  constructor(opts: Ec2SimOptions = {}) {
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.now = opts.now ?? Date.now;
    const dayAgo = this.now() - 24 * 3600_000;
    for (const [key, price] of Object.entries(opts.prices ?? {})) {
      const [type, zone] = key.split('/') as [string, string];
      this.priceHistory.push({ type, zone, price, at: dayAgo });
    }
  }

  private id(prefix: string): string {
    this.seq++;
    const scrambled = (0x1000000 + this.seq * 7919).toString(16).padStart(8, '0');
    return `${prefix}-${scrambled}${this.seq.toString(16).padStart(9, '0')}`;
  }

  /** The spot price in effect now for a type in a zone. */
  currentPrice(type: string, zone: string, at = this.now()): number | undefined {
    let best: PricePoint | undefined;
    for (const p of this.priceHistory)
      if (p.type === type && p.zone === zone && p.at <= at && (!best || p.at >= best.at)) best = p;
    return best?.price;
  }

  /** A new spot price from now on; instances whose bid it exceeds are reclaimed, as EC2 does. */
  setPrice(type: string, zone: string, price: number): void {
    this.priceHistory.push({ type, zone, price, at: this.now() });
    this.advance();
  }

  /** Applies every transition that is due: fulfilment, boot, shutdown, out-bid reclaim. */
  advance(): void {
    const now = this.now();
    for (const r of this.requests.values()) {
      if (r.state !== 'open' || now < r.fulfilAt) continue;
      const price = this.currentPrice(r.type, r.zone, now);
      if (price === undefined || price > r.price) {
        this.setStatus(
          r,
          'price-too-low',
          'Your Spot request price is lower than the minimum required Spot request fulfillment price.',
          now,
        );
        continue;
      }
      if (this.noCapacity.has(r.type)) {
        this.setStatus(r, 'capacity-not-available', 'There is no capacity available for the instance type.', now);
        continue;
      }
      const inst = this.launch(r.type, r.zone, r.imageId, r.fulfilAt, r.id);
      r.instanceId = inst.id;
      r.state = 'active';
      this.setStatus(r, 'fulfilled', 'Your Spot request is fulfilled.', r.fulfilAt);
    }
    for (const i of this.instances.values()) {
      if (i.state === 'pending' && now >= i.runningAt) i.state = 'running';
      if (i.state === 'shutting-down' && i.terminatedAt !== undefined && now >= i.terminatedAt) i.state = 'terminated';
      if (i.spotRequestId && (i.state === 'running' || i.state === 'pending')) {
        const r = this.requests.get(i.spotRequestId);
        const price = this.currentPrice(i.type, i.zone, now);
        if (r && price !== undefined && price > r.price) {
          this.shutDown(i, 'Server.SpotInstanceTermination: Spot instance termination', now);
          r.state = 'closed';
          this.setStatus(
            r,
            'instance-terminated-by-price',
            'Your Spot Instance was terminated because the Spot price exceeded your maximum price.',
            now,
          );
        }
      }
    }
  }

  /** Launches an on-demand-like instance directly (for fixtures: other machines in the account). */
  launch(
    type: string,
    zone: string,
    imageId = 'ami-00000000',
    at = this.now(),
    spotRequestId?: string,
    tags: Tag[] = [],
  ): SimInstance {
    const n = this.instances.size + 1;
    const inst: SimInstance = {
      id: this.id('i'),
      type,
      zone,
      imageId,
      privateIp: `172.31.${Math.floor(n / 250) + 1}.${(n % 250) + 2}`,
      state: 'pending',
      launchTime: at,
      runningAt: at + this.timing.bootMs,
      tags: [...tags],
      ...(spotRequestId ? { spotRequestId } : {}),
    };
    this.instances.set(inst.id, inst);
    return inst;
  }

  requestSpot(opts: {
    price: number;
    type: string;
    zone: string;
    imageId: string;
    count: number;
    requestType: 'one-time' | 'persistent';
    tags: Tag[];
  }): SimSpotRequest[] {
    const refusal = this.refuseRequests.get(opts.type);
    if (refusal) throw new Ec2SimError(refusal.code, refusal.message);
    if (!(opts.price > 0)) throw new Ec2SimError('InvalidParameterValue', 'Invalid value for SpotPrice');
    if (opts.count < 1 || opts.count > 20)
      throw new Ec2SimError('InvalidParameterValue', 'InstanceCount must be between 1 and 20');
    const now = this.now();
    const out: SimSpotRequest[] = [];
    for (let k = 0; k < opts.count; k++) {
      const r: SimSpotRequest = {
        id: this.id('sir'),
        price: opts.price,
        type: opts.type,
        zone: opts.zone,
        imageId: opts.imageId,
        requestType: opts.requestType,
        state: 'open',
        statusCode: 'pending-evaluation',
        statusMessage: 'Your Spot request has been submitted for review, and is pending evaluation.',
        statusAt: now,
        createTime: now,
        fulfilAt: now + this.timing.fulfilMs,
        tags: [...opts.tags],
      };
      this.requests.set(r.id, r);
      out.push(r);
    }
    return out;
  }

  terminate(ids: string[]): { id: string; before: InstanceState; after: InstanceState }[] {
    this.advance();
    const found = ids.map((id) => this.getInstance(id));
    const now = this.now();
    return found.map((i) => {
      const before = i.state;
      if (i.state !== 'terminated' && i.state !== 'shutting-down') {
        this.shutDown(i, 'Client.UserInitiatedShutdown: User initiated shutdown', now);
        const r = i.spotRequestId ? this.requests.get(i.spotRequestId) : undefined;
        if (r && r.state === 'active') {
          r.state = 'closed';
          this.setStatus(
            r,
            'instance-terminated-by-user',
            'Spot Instance terminated due to user-initiated termination.',
            now,
          );
        } else if (r && r.state === 'cancelled') {
          this.setStatus(
            r,
            'instance-terminated-by-user',
            'Spot Instance terminated due to user-initiated termination.',
            now,
          );
        }
      }
      return { id: i.id, before, after: i.state };
    });
  }

  cancel(ids: string[]): { id: string; state: string }[] {
    this.advance();
    const found = ids.map((id) => this.getRequest(id));
    const now = this.now();
    return found.map((r) => {
      if (r.state === 'open') {
        r.state = 'cancelled';
        this.setStatus(r, 'canceled-before-fulfillment', 'You canceled the Spot request before it was fulfilled.', now);
      } else if (r.state === 'active') {
        r.state = 'cancelled';
        this.setStatus(
          r,
          'request-canceled-and-instance-running',
          'Your Spot request was canceled, but the instance remains running.',
          now,
        );
      }
      return { id: r.id, state: r.state };
    });
  }

  createTags(resourceIds: string[], tags: Tag[]): void {
    this.advance();
    const targets = resourceIds.map((id) => (id.startsWith('sir-') ? this.getRequest(id) : this.getInstance(id)));
    for (const t of targets) {
      for (const tag of tags) {
        const existing = t.tags.find((x) => x.key === tag.key);
        if (existing) existing.value = tag.value;
        else t.tags.push({ ...tag });
      }
    }
  }

  deleteTags(resourceIds: string[], keys: string[]): void {
    const targets = resourceIds.map((id) => (id.startsWith('sir-') ? this.getRequest(id) : this.getInstance(id)));
    for (const t of targets) t.tags = t.tags.filter((x) => !keys.includes(x.key));
  }

  getInstance(id: string): SimInstance {
    if (!/^i-[0-9a-f]{8,17}$/.test(id)) throw new Ec2SimError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
    const i = this.instances.get(id);
    if (!i) throw new Ec2SimError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
    return i;
  }

  getRequest(id: string): SimSpotRequest {
    const r = this.requests.get(id);
    if (!r)
      throw new Ec2SimError(
        'InvalidSpotInstanceRequestID.NotFound',
        `The spot instance request ID '${id}' does not exist`,
      );
    return r;
  }

  private shutDown(i: SimInstance, reason: string, now: number): void {
    i.state = 'shutting-down';
    i.terminatedAt = now + this.timing.shutdownMs;
    i.stateReason = reason;
    if (this.timing.shutdownMs <= 0) i.state = 'terminated';
  }

  private setStatus(r: SimSpotRequest, code: string, message: string, at: number): void {
    if (r.statusCode === code) return;
    r.statusCode = code;
    r.statusMessage = message;
    r.statusAt = at;
  }
}
