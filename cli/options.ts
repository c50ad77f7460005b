import { InvalidArgumentError } from "commander";

/** Commander parser for a positive integer option, with a message naming the flag. */
export function positiveInt(flag: string): (value: string) => number {
  return (value: string) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) {
      throw new InvalidArgumentError(`${flag} expects a whole number of at least 1, got ${JSON.stringify(value)}`);
    }
    return number;
  };
}

/** Commander parser for any integer option. */
export function integer(flag: string): (value: string) => number {
  return (value: string) => {
    const number = Number(value);
    if (!Number.isInteger(number)) throw new InvalidArgumentError(`${flag} expects a whole number, got ${JSON.stringify(value)}`);
    return number;
  };
}

/** Collects a repeatable option; also splits comma-separated values. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  ];
}
