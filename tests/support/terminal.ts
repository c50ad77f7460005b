/**
 * Characters a terminal acts on or hides, which no command may print raw:
 * C0 controls (but LF), DEL, C1 controls, bidi controls, zero-width
 * characters, BOM and tag characters.
 */
// eslint-disable-next-line no-control-regex -- matching these characters is the point
export const RAW_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]|[\u{E0000}-\u{E007F}]/u;
