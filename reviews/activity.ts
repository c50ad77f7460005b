/**
 * Active time per judgement, for reviewer throughput. Each key the reviewer
 * presses ends a stretch of time spent on what was in front of them (a step,
 * the plan, a pair); a pause longer than {@link IDLE_SECONDS} counts as that
 * long, so a coffee break is not review time. The time collected on a target
 * goes into the next record given for it.
 */

/** The longest pause between two keys that counts in full. */
export const IDLE_SECONDS = 60;

/** Collects active seconds per target key (`targetKey` of the record it will go into). */
export class ActivityClock {
  private last: number | null = null;
  private focus: string | null = null;
  private readonly spent = new Map<string, number>();

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly idleMs = IDLE_SECONDS * 1000,
  ) {}

  /** A key was pressed: the time since the last one goes to what was in front of the reviewer. */
  tick(): void {
    const now = this.now();
    if (this.last !== null && this.focus !== null) {
      this.spent.set(this.focus, (this.spent.get(this.focus) ?? 0) + Math.min(Math.max(0, now - this.last), this.idleMs));
    }
    this.last = now;
  }

  /** What is in front of the reviewer now (null: nothing a record is given for, such as the queue). */
  focusOn(target: string | null): void {
    this.focus = target;
  }

  /**
   * The seconds collected on a target (to a tenth), which start again from
   * zero; null when it was never in front of the reviewer (a suggestion
   * settled with its step: the time is on the step's record).
   */
  take(target: string): number | null {
    const ms = this.spent.get(target);
    this.spent.delete(target);
    return ms === undefined ? null : Math.round(ms / 100) / 10;
  }
}
