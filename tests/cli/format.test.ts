import { describe, expect, it } from "vitest";
import { formatDuration } from "../../cli/format.js";

describe("formatDuration", () => {
  it("rounds to the unit it shows, carrying into the next one", () => {
    expect(formatDuration(119_700)).toBe("2m00s");
    expect(formatDuration(59_960)).toBe("1m00s");
    expect(formatDuration(999.6)).toBe("1.0s");
    expect(formatDuration(61_499)).toBe("1m01s");
  });

  it("shows milliseconds below a second, tenths below a minute, minutes and seconds above", () => {
    expect(formatDuration(0)).toBe("0ms");
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(12_345)).toBe("12.3s");
    expect(formatDuration(245_000)).toBe("4m05s");
    expect(formatDuration(3 * 3_600_000)).toBe("180m00s");
  });

  it("says when there is no duration rather than printing 0ms", () => {
    expect(formatDuration(null)).toBe("not recorded");
  });
});
