/** A node as the cluster itself listed it when the plan was made: SSH goes to these values only. */
export interface NodeRef {
  name: string;
  ip: string;
  host: string;
  zone?: string;
}
