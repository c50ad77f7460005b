import { createContext, useContext, type ReactNode } from "react";
import type { StepVerdict } from "../record.js";

/**
 * Semantic colours: components ask for `theme.status.error`, never for a
 * colour by name. Colours are the terminal's own 16 (so the reviewer's palette
 * applies). Under `NO_COLOR` every token is undefined and the screen is
 * monochrome; meaning is then carried by glyphs, bold and inverse, which every
 * component uses anyway.
 */
export interface Theme {
  readonly monochrome: boolean;
  readonly text: {
    readonly primary: string | undefined;
    /** Labels and hints. Rendered dim in both themes. */
    readonly secondary: string | undefined;
    readonly accent: string | undefined;
    readonly title: string | undefined;
  };
  readonly status: {
    readonly success: string | undefined;
    readonly error: string | undefined;
    readonly warning: string | undefined;
    readonly info: string | undefined;
  };
  readonly verdict: Readonly<Record<StepVerdict, string | undefined>>;
  readonly ui: {
    readonly border: string | undefined;
    readonly focusBorder: string | undefined;
  };
}

/** The colour theme. */
export const COLOR_THEME: Theme = {
  monochrome: false,
  text: { primary: undefined, secondary: "gray", accent: "cyan", title: "cyanBright" },
  status: { success: "green", error: "red", warning: "yellow", info: "blue" },
  verdict: {
    correct: "green",
    skippable: "yellow",
    wrong_tool: "red",
    wrong_args: "magenta",
    harmful: "redBright",
    other: "blue",
    right_agent: "green",
    wrong_agent: "red",
    unnecessary_handoff: "yellow",
    wrong: "red",
  },
  ui: { border: "gray", focusBorder: "cyan" },
};

/** The monochrome theme (`NO_COLOR`). */
export const MONOCHROME_THEME: Theme = {
  monochrome: true,
  text: { primary: undefined, secondary: undefined, accent: undefined, title: undefined },
  status: { success: undefined, error: undefined, warning: undefined, info: undefined },
  verdict: {
    correct: undefined,
    skippable: undefined,
    wrong_tool: undefined,
    wrong_args: undefined,
    harmful: undefined,
    other: undefined,
    right_agent: undefined,
    wrong_agent: undefined,
    unnecessary_handoff: undefined,
    wrong: undefined,
  },
  ui: { border: undefined, focusBorder: undefined },
};

/** The theme an environment asks for: monochrome when `NO_COLOR` is set to anything but "". */
export function themeFor(env: NodeJS.ProcessEnv): Theme {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== "" ? MONOCHROME_THEME : COLOR_THEME;
}

const ThemeContext = createContext<Theme>(COLOR_THEME);

/** Provides a theme to the components below. */
export function ThemeProvider({ theme, children }: { readonly theme: Theme; readonly children: ReactNode }): ReactNode {
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

/** The current theme. */
export function useTheme(): Theme {
  return useContext(ThemeContext);
}
