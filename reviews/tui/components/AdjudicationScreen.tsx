import { Box, Text, useApp, useInput } from "ink";
import { useRef, useState, type ReactNode } from "react";
import { sanitizeForDisplay } from "../../../harness/core.js";
import type { Disagreement } from "../../adjudication.js";
import { STEP_VERDICTS, STEP_VERDICT_TITLES, targetKey, type ReviewJudgement, type ReviewRecord } from "../../record.js";
import type { ReviewSession } from "../../session.js";
import { stepSummary } from "../step-format.js";
import { fitToWidth, truncateToWidth } from "../text-layout.js";
import { useTheme } from "../theme.js";

/** Props of {@link AdjudicationScreen}. */
export interface AdjudicationScreenProps {
  /** The adjudicator's session: settlements are written to their file. */
  readonly session: ReviewSession;
  readonly disagreements: readonly Disagreement[];
  readonly width: number;
  readonly height: number;
}

/** The keys of the screen, one description each: the footer is generated from this table. */
const ADJUDICATION_KEYS: readonly { readonly keys: string; readonly what: string }[] = [
  { keys: "j/k ↑/↓", what: "move" },
  { keys: "1-6", what: `settle a step (${STEP_VERDICTS.map((v, i) => `${i + 1} ${STEP_VERDICT_TITLES[v]}`).join(", ")})` },
  { keys: "p/f", what: "settle a plan pass or fail" },
  { keys: "a/b/t", what: "settle a pair" },
  { keys: "q", what: "quit" },
];

/** What a target is, in a line. */
function targetLine(item: Disagreement, session: ReviewSession): string {
  const { target, trajectoryId } = item.judgements;
  if (target.kind === "pair") return `pair ${target.a} · ${target.b}`;
  if (target.kind !== "step") return `${trajectoryId} plan`;
  try {
    const event = session.load(trajectoryId).trajectory.events.find((e) => e.id === target.eventId);
    return `${trajectoryId} ${target.eventId} ${event ? stepSummary(event) : ""}`;
  } catch {
    return `${trajectoryId} ${target.eventId}`;
  }
}

function agreedVerdict(item: Disagreement): string | null {
  const verdicts = new Set(item.sides.map((side) => side.verdict));
  return verdicts.size === 1 ? [...verdicts][0]! : null;
}

function sideText(side: Disagreement["sides"][number]): string {
  const parts = [
    side.verdict ?? "(no verdict)",
    side.rating !== null ? `rating ${side.rating}` : "",
    side.note ? `"${side.note}"` : "",
    side.shouldHaveCalled ? `should have called: ${side.shouldHaveCalled}` : "",
  ];
  return parts.filter(Boolean).join("  ");
}

/**
 * The adjudicator's screen (`trajlab review --adjudicate`): every target the
 * reviewers disagree on, each reviewer's verdict and reason side by side with
 * the step, and one key to settle it. The settlement is an ordinary record in
 * the adjudicator's file; because the run names them adjudicator, it settles
 * the target for agreement and exports.
 */
export function AdjudicationScreen({ session, disagreements, width, height }: AdjudicationScreenProps): ReactNode {
  const theme = useTheme();
  const { exit } = useApp();
  const [selected, setSelectedState] = useState(0);
  // Keys can arrive faster than renders: the handler reads the selection from a ref, not a stale closure.
  const current = useRef(0);
  const setSelected = (next: (index: number) => number): void => {
    current.current = next(current.current);
    setSelectedState(current.current);
  };
  const [settled, setSettled] = useState<ReadonlyMap<string, ReviewRecord | undefined>>(
    () => new Map(disagreements.map((item) => [item.judgements.key, item.settlement])),
  );
  const [status, setStatus] = useState("");
  const item = disagreements[selected];

  const settle = (item: Disagreement, verdict: string, rating?: number): void => {
    const { target, trajectoryId } = item.judgements;
    const previous = session.ledger.current(trajectoryId, target);
    const judgement: ReviewJudgement = {
      trajectoryId,
      target,
      // A rating settled alone keeps the verdict: the adjudicator's earlier one, else the reviewers' when they agree.
      verdict: target.kind === "plan" && rating !== undefined ? (previous?.verdict ?? agreedVerdict(item)) : verdict,
      ...(target.kind === "plan"
        ? { rating: rating ?? previous?.rating ?? null, score: rating !== undefined ? (rating - 1) / 4 : (previous?.score ?? null) }
        : {}),
      note: "settled by adjudication",
    };
    void session.give([judgement]).then(() => {
      const record = session.ledger.current(trajectoryId, target);
      setSettled((map) => new Map(map).set(targetKey(trajectoryId, target), record));
      setStatus(`settled ${target.kind} as ${record?.verdict ?? verdict}${record?.rating ? ` (rating ${record.rating})` : ""}`);
    });
  };

  useInput((input, key) => {
    const chosen = disagreements[current.current];
    const kind = chosen?.judgements.target.kind;
    if (input === "q" || (key.ctrl && input === "c")) exit();
    else if (input === "j" || key.downArrow) setSelected((i) => Math.min(disagreements.length - 1, i + 1));
    else if (input === "k" || key.upArrow) setSelected((i) => Math.max(0, i - 1));
    else if (!chosen) return;
    else if (kind === "step" && /^[1-6]$/.test(input)) settle(chosen, STEP_VERDICTS[Number(input) - 1]!);
    else if (kind === "plan" && (input === "p" || input === "f")) settle(chosen, input === "p" ? "pass" : "fail");
    else if (kind === "plan" && /^[1-5]$/.test(input)) settle(chosen, "", Number(input));
    else if (kind === "pair" && /^[abt]$/.test(input)) settle(chosen, input === "t" ? "tie" : input);
  });

  const done = [...settled.values()].filter(Boolean).length;
  const listRows = Math.max(3, height - 8 - (item?.sides.length ?? 0));
  const top = Math.max(0, Math.min(selected - Math.floor(listRows / 2), disagreements.length - listRows));
  const safe = (text: string) => sanitizeForDisplay(text);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text color={theme.text.title}>
        {fitToWidth(`trajlab review --adjudicate · ${session.reviewer} · ${done} of ${disagreements.length} settled`, width)}
      </Text>
      {disagreements.length === 0 ? <Text>the reviewers agree on every target they share: nothing to settle</Text> : null}
      {disagreements.slice(top, top + listRows).map((row, offset) => {
        const index = top + offset;
        const settlement = settled.get(row.judgements.key);
        const line = `${index === selected ? "›" : " "} ${targetLine(row, session)}   ${row.sides.map((side) => side.verdict ?? "-").join(" · ")}${settlement ? `   settled: ${settlement.verdict ?? ""}${settlement.rating ? ` ${settlement.rating}` : ""}` : ""}`;
        return (
          <Text key={row.judgements.key} color={index === selected ? theme.text.accent : undefined}>
            {truncateToWidth(safe(line), width)}
          </Text>
        );
      })}
      {item ? (
        <Box flexDirection="column" marginTop={1}>
          <Text>
            {truncateToWidth(
              safe(`${item.judgements.scenarioId} · ${targetLine(item, session)} · differ on ${item.measures.join(", ")}`),
              width,
            )}
          </Text>
          {item.sides.map((side) => (
            <Text key={side.reviewer}>{truncateToWidth(safe(`  ${side.reviewer.padEnd(12)} ${sideText(side)}`), width)}</Text>
          ))}
        </Box>
      ) : null}
      <Text color={theme.status.info}>{truncateToWidth(safe(status), width)}</Text>
      <Text dimColor>{truncateToWidth(ADJUDICATION_KEYS.map((entry) => `${entry.keys} ${entry.what}`).join(" · "), width)}</Text>
    </Box>
  );
}
