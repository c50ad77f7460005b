import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { Command, matches, type KeyContext } from "../key-bindings.js";
import { useKeyHandler } from "../key-router.js";
import { sanitizeForDisplay } from "../../../harness/core.js";
import { wrapToWidth } from "../text-layout.js";
import { useTheme } from "../theme.js";

/** Props of {@link ProblemScreen}. */
export interface ProblemScreenProps {
  readonly context: KeyContext;
  readonly problem: string;
  readonly width: number;
  readonly height: number;
  readonly onBack: () => void;
}

/** Shown instead of a screen whose data could not be read (a damaged line, a file that changed): Esc goes back. */
export function ProblemScreen({ context, problem, width, height, onBack }: ProblemScreenProps): ReactNode {
  const theme = useTheme();
  useKeyHandler(context, (input, key) => {
    if (!matches(Command.Back, input, key)) return false;
    onBack();
    return true;
  });
  return (
    <Box flexDirection="column" width={width} height={height}>
      {wrapToWidth(sanitizeForDisplay(problem, { multiline: true }), width).map((line, index) => (
        <Text key={index} color={theme.status.error}>
          {line}
        </Text>
      ))}
      <Text dimColor>Esc goes back; the rest of the run can still be reviewed.</Text>
    </Box>
  );
}
