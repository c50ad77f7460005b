/** US dollars with the precision small amounts need: $0.0042, $1.23, $0. */
export function formatUsd(amount: number): string {
  return `$${amount >= 1 ? amount.toFixed(2) : amount.toPrecision(2).replace(/\.?0+$/, "")}`;
}
