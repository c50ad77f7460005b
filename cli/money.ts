import { InvalidArgumentError } from "commander";

/** US dollars with the precision small amounts need: $0.0042, $1.23, $0. */
export function formatUsd(amount: number): string {
  return `$${amount >= 1 ? amount.toFixed(2) : amount.toPrecision(2).replace(/\.?0+$/, "")}`;
}

/** Commander parser for an amount of US dollars (`--max-cost 2.50`). */
export function dollars(value: string): number {
  const amount = Number(value.replace(/^\$/, ""));
  if (!Number.isFinite(amount) || amount <= 0)
    throw new InvalidArgumentError(`--max-cost expects an amount of US dollars above 0, e.g. 2.50, got ${JSON.stringify(value)}`);
  return amount;
}
