import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { openSuggestion } from "../../grading.js";
import type { TrajectoryReview } from "../../ledger.js";
import { StepVerdictSchema } from "../../record.js";
import { isFailure, type TimelineStep } from "../../timeline.js";
import { FAILED_MARK, FLAG_MARK, kindTag, oneLine, stepSummary, UNGRADED_MARK, VERDICT_MARKS } from "../step-format.js";
import { fitToWidth, padStartToWidth } from "../text-layout.js";
import { useTheme, type Theme } from "../theme.js";

/** Props of {@link Timeline}. */
export interface TimelineProps {
  readonly steps: readonly TimelineStep[];
  readonly review: TrajectoryReview;
  readonly cursor: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  /** Indexes of steps matching the current search. */
  readonly matches: ReadonlySet<number>;
  /** Show each step's agent (runs with more than one agent). */
  readonly showAgents: boolean;
  readonly focused: boolean;
}

/**
 * A trajectory's steps, one line each: cursor, the reviewer's verdict mark,
 * event id, indentation by agent depth, kind and summary, and a flag when a
 * grader labelled the step. Only the rows in view are rendered.
 */
export function Timeline({ steps, review, cursor, top, width, height, matches, showAgents, focused }: TimelineProps): ReactNode {
  const theme = useTheme();
  const visible = steps.slice(top, top + height);
  const idWidth = Math.max(3, String(steps.at(-1)?.event.id ?? "").length);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {visible.map((step) => {
        const selected = step.index === cursor;
        // The agent is named where it changes; indentation carries it on the rows after.
        const agentChanged = showAgents && steps[step.index - 1]?.event.agent !== step.event.agent;
        const { text, color } = rowOf(step, review, theme, {
          selected,
          match: matches.has(step.index),
          idWidth,
          width,
          showAgents: agentChanged,
        });
        return (
          <Text
            key={step.event.id}
            color={color}
            inverse={selected && focused}
            bold={selected}
            underline={selected && !focused}
            wrap="truncate-end"
          >
            {text}
          </Text>
        );
      })}
    </Box>
  );
}

interface RowOptions {
  readonly selected: boolean;
  readonly match: boolean;
  readonly idWidth: number;
  readonly width: number;
  readonly showAgents: boolean;
}

function rowOf(
  step: TimelineStep,
  review: TrajectoryReview,
  theme: Theme,
  options: RowOptions,
): { text: string; color: string | undefined } {
  const { event } = step;
  const verdict = StepVerdictSchema.safeParse(review.steps.get(event.id)?.verdict);
  const mark = verdict.success ? VERDICT_MARKS[verdict.data] : step.gradable ? UNGRADED_MARK : " ";
  const open = openSuggestion(step, review) !== undefined;
  const flag = !step.suggestion ? " " : !step.suggestion.flagged ? FLAG_MARK.note : open ? FLAG_MARK.open : FLAG_MARK.decided;
  const pointer = options.selected ? "›" : options.match ? "*" : " ";
  const indent = "  ".repeat(Math.min(4, step.depth));
  const agent = options.showAgents ? `${oneLine(event.agent)}: ` : "";
  const failed = isFailure(event) ? FAILED_MARK : " ";
  const head = `${pointer}${mark}${failed}${padStartToWidth(event.id, options.idWidth)} ${indent}${fitToWidth(kindTag(event), 9)} `;
  const body = fitToWidth(`${agent}${stepSummary(event)}`, Math.max(1, options.width - head.length - 2));
  const color = verdict.success
    ? theme.verdict[verdict.data]
    : isFailure(event)
      ? theme.status.error
      : step.gradable
        ? theme.text.primary
        : theme.text.secondary;
  return { text: fitToWidth(`${head}${body} ${flag}`, options.width), color };
}
