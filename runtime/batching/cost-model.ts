/**
 * Predicted run time of a batch against its size, latency(n) ≈ a + b·n, fitted by exponentially
 * weighted least squares: every observed batch adds weight 1 and older ones decay by `decay`, so
 * the model follows a cost that drifts (warm-up, load on the machine). With no observation yet it
 * predicts 0 (dispatch at the latency deadline); with one batch size seen so far it predicts a
 * cost proportional to n. Neither coefficient is ever negative.
 */
export class LatencyModel {
  private w = 0;
  private sn = 0;
  private sy = 0;
  private snn = 0;
  private sny = 0;
  private a = 0;
  private b = 0;

  constructor(private readonly decay = 0.9) {
    if (!(decay > 0 && decay < 1)) throw new Error(`decay must be in (0, 1), got ${decay}`);
  }

  /** Batches observed (not decayed). */
  samples = 0;

  observe(size: number, ms: number): void {
    const d = this.decay;
    this.w = this.w * d + 1;
    this.sn = this.sn * d + size;
    this.sy = this.sy * d + ms;
    this.snn = this.snn * d + size * size;
    this.sny = this.sny * d + size * ms;
    this.samples++;
    this.fit();
  }

  predict(size: number): number {
    return this.a + this.b * size;
  }

  get coefficients(): { a: number; b: number } {
    return { a: this.a, b: this.b };
  }

  private fit(): void {
    const meanN = this.sn / this.w;
    const meanY = this.sy / this.w;
    const varN = this.snn / this.w - meanN * meanN;
    if (varN <= 1e-9 * Math.max(1, meanN * meanN)) {
      // One size seen: no slope to learn; the whole cost scales with n.
      this.a = 0;
      this.b = meanN > 0 ? meanY / meanN : 0;
      if (meanN === 0) this.a = Math.max(0, meanY);
      return;
    }
    let b = (this.sny / this.w - meanN * meanY) / varN;
    let a = meanY - b * meanN;
    if (b < 0) {
      b = 0;
      a = meanY;
    } else if (a < 0) {
      a = 0;
      b = this.sny / this.snn;
    }
    this.a = Math.max(0, a);
    this.b = Math.max(0, b);
  }
}
