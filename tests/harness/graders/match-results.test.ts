import { describe, expect, it } from "vitest";
import { matchResultDigests, recordedMatchResultDigests } from "./support/match-results.js";

describe("matchTrajectory results on generated pairs", () => {
  it("gives the recorded result, field for field, in every setting (reordered, extra, missing and argument-differing calls)", async () => {
    const recorded = await recordedMatchResultDigests();
    const now = matchResultDigests();
    expect(Object.keys(now)).toEqual(Object.keys(recorded));
    for (const [setting, digests] of Object.entries(now)) {
      digests.forEach((digest, pair) => expect(digest, `${setting}, pair ${pair}`).toBe(recorded[setting]![pair]));
    }
    // Not vacuous: the pairs give many different results.
    expect(new Set(Object.values(now).flat()).size).toBeGreaterThan(1000);
  });
});
