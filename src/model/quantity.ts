/**
 * resource.Quantity — placeholder signatures; the implementation lands with the quantity work.
 */
export class Quantity {
  /** Exact value = unscaled × 10^(−scale). */
  readonly unscaled: bigint;
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    this.unscaled = unscaled;
    this.scale = scale;
  }
}
