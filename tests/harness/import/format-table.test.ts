import { describe, expect, it } from "vitest";
import { IMPORT_FORMAT_LINES } from "../../../harness/help.js";
import { IMPORT_FORMATS, importFormat } from "../../../harness/index.js";

/** `trajlab import --help` lists the formats from a light table; the importers are looked up by the same ids. */
describe("the import formats' table", () => {
  it("has a format for every id the help lists, in the same order, each under its own id", () => {
    expect(Object.keys(IMPORT_FORMATS)).toEqual(Object.keys(IMPORT_FORMAT_LINES));
    for (const id of Object.keys(IMPORT_FORMAT_LINES)) expect(importFormat(id).id).toBe(id);
  });
});
