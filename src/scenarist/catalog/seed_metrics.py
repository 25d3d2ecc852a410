"""The predefined metric catalogue (plain data; read by a data migration). The ten `is_default` rows are
copied into every new project as its editable default metrics."""

from __future__ import annotations

ACCURACY = "Accuracy"
CONVERSATION = "Conversation Quality"
EXPERIENCE = "Customer Experience"
SPEECH = "Speech Quality"

_NA_COMMON = (
    "Return N/A when the call is too short to judge (fewer than two exchanges), the Testing Agent hung up "
    "before the flow started, or an infrastructure failure (silence, dropped audio, no connection) "
    "prevented the conversation."
)


def _m(slug: str, name: str, category: str, eval_type: str, description: str, **fields) -> dict:
    """One catalogue row with the catalogue's defaults."""
    row = {
        "slug": slug,
        "name": name,
        "category": category,
        "eval_type": eval_type,
        "description": description.strip(),
        "type": "llm_judge",
        "enum_values": [],
        "evaluation_trigger": "always",
        "is_default": False,
    }
    row.update(fields)
    return row


PREDEFINED_METRICS: list[dict] = [
    _m(
        "expected_outcome", "Expected Outcome", ACCURACY, "enum",
        """
Judge whether the Main Agent (the agent under test) achieved the outcome the scenario expects.

Scope: compare the conversation in {{transcript}} with the scenario's expected outcome (its expected_outcome_prompt). Judge only what the expected outcome asks for; ignore tone, latency and wording unless the expected outcome mentions them.

Criteria:
- Every action, piece of information or decision the expected outcome requires is present in the transcript, performed by the Main Agent.
- Nothing the expected outcome forbids happened.

Failure conditions:
- A required action or statement is missing or contradicted.
- The Main Agent did something the expected outcome explicitly rules out.

Labels:
- "Pass": every requirement is clearly met.
- "Review Required": the transcript is ambiguous about at least one requirement (e.g. the agent says it will do something but the result is not confirmed) and nothing is clearly violated.
- "Failed": at least one requirement is clearly not met.
Tie-break: if unsure between Pass and Review Required, choose Review Required.

""" + _NA_COMMON + """

Output one label and a one-paragraph explanation quoting the turns that decided it.
""",
        enum_values=["Pass", "Review Required", "Failed"],
        is_default=True,
    ),
    _m(
        "latency", "Latency", CONVERSATION, "numeric",
        """
Measure how long the Main Agent takes to start answering after the Testing Agent stops speaking.

Counting rules: for every Testing Agent turn followed by a Main Agent turn, the latency is the time between the end of the Testing Agent's speech and the start of the Main Agent's speech, from the turn timestamps in {{transcript}}. Report the average over all such pairs, in milliseconds. Ignore the opening greeting if the Main Agent speaks first, and ignore turns where the Testing Agent interrupted the Main Agent.

Direction: lower is better; under 2000 ms is good.

Return N/A when there are no Testing-Agent-to-Main-Agent turn pairs or the transcript has no timestamps.

Output the average latency as a number (ms) and the number of pairs used.
""",
        is_default=True,
    ),
    _m(
        "average_pitch", "Average Pitch", SPEECH, "numeric",
        """
Measure the average fundamental frequency (pitch) of the Main Agent's voice over the call, in Hz.

Counting rules: use only the Main Agent's speech segments from the recording; exclude silence, hold music and the Testing Agent's speech. Report the mean pitch across all voiced frames.

Direction: neither higher nor lower is better; a sudden change between calls of the same agent suggests a voice configuration change.

Return N/A for text conversations or when no recording is available.

Output the average pitch in Hz.
""",
        is_default=True,
    ),
    _m(
        "interruption_score", "Interruption Score", CONVERSATION, "continuous_qualitative",
        """
Rate how well the Main Agent avoids talking over the Testing Agent.

Counting rules: count the Testing Agent turns during which the Main Agent started speaking before the Testing Agent finished (from the timestamps in {{transcript}}). The score is 5 * (1 - interruptions / Testing Agent turns), on a 0-5 scale.
- 5: the Main Agent never interrupted.
- 4: it interrupted on roughly a fifth of the turns.
- 3: on roughly two fifths.
- 2: on roughly three fifths.
- 1: on roughly four fifths.
- 0: on every turn.

Direction: higher is better. Interruptions by the Testing Agent are not counted against the Main Agent.

""" + _NA_COMMON + """

Output the score (0-5) and the number of interruptions counted.
""",
        is_default=True,
    ),
    _m(
        "infrastructure_issues", "Infrastructure Issues", CONVERSATION, "binary",
        """
Detect whether technical problems, rather than the Main Agent's behaviour, disrupted the call.

Scope: look only for infrastructure symptoms in {{transcript}} and the call metadata (call end reason {{call_end_reason}}); ignore the quality of the Main Agent's answers.

Failure conditions (any one makes the result TRUE):
- The Main Agent stayed silent for 10 seconds or more when it was expected to speak.
- The call dropped or ended abruptly with an error end reason.
- The Main Agent's audio was cut off mid-sentence, garbled or repeated by the system.
- The Main Agent never answered at all.

TRUE: at least one failure condition occurred. Example: the Testing Agent says "Hello? Are you there?" twice and the call ends with a pipeline error.
FALSE: the call ran without technical problems. Example: every turn got a timely, complete reply.

Output TRUE or FALSE and the timestamp of the first issue if TRUE.
""",
        is_default=True,
    ),
    _m(
        "tool_call_success", "Tool Call Success", ACCURACY, "binary",
        """
Judge whether every tool (function) call the Main Agent made during the call succeeded.

Scope: the "Function Call" and "Function Result" rows in {{transcript}}; ignore whether a call was the right one to make (that is Expected Outcome's job).

Failure conditions:
- A tool returned an error, a timeout or an empty result where data was expected.
- A call was made with missing or malformed required arguments.
- The Main Agent told the caller something failed because of a tool error.

TRUE: every tool call returned a usable result. Example: lookup_customer returned the customer record.
FALSE: at least one failure condition occurred. Example: book_appointment returned "error: invalid date".

Return N/A when the Main Agent made no tool calls.

Output TRUE, FALSE or N/A and name the failing call if any.
""",
        is_default=True,
    ),
    _m(
        "relevancy", "Relevancy", ACCURACY, "binary",
        """
Judge whether the Main Agent's replies stay relevant to what the Testing Agent asked and to the Main Agent's purpose described in {{agent.description}}.

Criteria: each Main Agent reply addresses the Testing Agent's latest request or question, or moves the conversation toward the caller's goal.

Failure conditions:
- A reply ignores the question and talks about something unrelated.
- The Main Agent answers a different question than the one asked.
- The Main Agent drifts into topics outside its purpose without being asked.

TRUE: all replies are relevant. Example: asked for opening hours, the agent gives the opening hours.
FALSE: at least one failure condition occurred. Example: asked for opening hours, the agent describes a promotion instead.

""" + _NA_COMMON + """

Output TRUE or FALSE and quote the irrelevant reply if FALSE.
""",
        is_default=True,
    ),
    _m(
        "response_consistency", "Response Consistency", ACCURACY, "binary",
        """
Judge whether the Main Agent stays consistent with itself across the call.

Criteria: facts, prices, dates, names and commitments the Main Agent states do not change without a reason the caller gave.

Failure conditions:
- The Main Agent contradicts something it said earlier in the call.
- It confirms a detail and later acts on a different value.

TRUE: no contradictions. Example: the agent quotes $40 and later confirms $40.
FALSE: at least one contradiction. Example: the agent says the clinic is closed on Sunday and later books a Sunday slot.

""" + _NA_COMMON + """

Output TRUE or FALSE and quote both contradicting turns if FALSE.
""",
        is_default=True,
    ),
    _m(
        "hallucination", "Hallucination", ACCURACY, "binary",
        """
Judge whether the Main Agent stated facts that are not supported by its instructions ({{agent.description}}), its knowledge-base files or the tool results in {{transcript}}.

Scope: factual claims only (policies, prices, hours, availability, account data). Ignore pleasantries and opinions.

Failure conditions:
- A stated fact contradicts the agent's instructions, knowledge base or a tool result.
- A specific fact is stated that none of those sources contains (invented policy, made-up number or name).

TRUE means a hallucination occurred. Example: the agent promises a 60-day refund when the policy says 30 days.
FALSE means every factual claim is supported. Example: the agent says it does not know and offers a follow-up.

""" + _NA_COMMON + """

Output TRUE or FALSE and quote the unsupported claim if TRUE.
""",
        is_default=True,
    ),
    _m(
        "appropriate_call_termination", "Appropriate Call Termination", CONVERSATION, "binary",
        """
Judge whether the call ended at the right moment and in the right way.

Criteria:
- The call ends after the caller's request is resolved, the caller asks to end it, or the Main Agent transfers the caller as its instructions require.
- The Main Agent closes politely (summary or goodbye) before ending.

Failure conditions:
- The Main Agent hung up while the caller still had an open request.
- The Main Agent kept the call going after the caller clearly said goodbye.
- The call ended without any closing when the Main Agent ended it.

TRUE: the termination was appropriate. Example: "Your appointment is booked for Tuesday. Anything else? ... Goodbye."
FALSE: at least one failure condition occurred. Example: the agent ends the call right after asking for the caller's date of birth.

Return N/A when an infrastructure failure ended the call.

Output TRUE or FALSE and the final two turns as evidence.
""",
        is_default=True,
    ),
    _m(
        "csat", "CSAT", EXPERIENCE, "continuous_qualitative",
        """
Estimate the caller's satisfaction with the call on a 0-100 scale, as if the Testing Agent filled in a satisfaction survey.

Anchors:
- 90-100: goal fully achieved quickly, caller thanked the agent.
- 70-89: goal achieved with minor friction (a repeat, a short wait).
- 40-69: goal partly achieved or achieved with clear frustration.
- 10-39: goal not achieved, caller frustrated.
- 0-9: caller hostile or hung up in anger.

""" + _NA_COMMON + """

Output the score and one sentence of justification.
""",
    ),
    _m(
        "sentiment", "Sentiment", EXPERIENCE, "enum",
        """
Classify the Testing Agent's overall sentiment by the end of the call.

Labels:
- "positive": satisfied, thankful or relieved at the end.
- "neutral": neither pleased nor upset; purely transactional.
- "negative": frustrated, angry or disappointed at the end.
Tie-break: judge the last third of the call; if still mixed, choose "neutral".

""" + _NA_COMMON + """

Output one label.
""",
        enum_values=["positive", "neutral", "negative"],
    ),
    _m(
        "verbosity", "Verbosity", CONVERSATION, "continuous_qualitative",
        """
Rate how concise the Main Agent's replies are for a voice conversation (1-5).

- 5: every reply is short and to the point.
- 4: mostly concise, an occasional long reply.
- 3: several replies longer than needed.
- 2: most replies are long-winded or list many options at once.
- 1: monologues that a caller could not follow by ear.

""" + _NA_COMMON + """

Output the rating and quote the longest unnecessary reply.
""",
    ),
    _m(
        "talk_ratio", "Talk Ratio", SPEECH, "numeric",
        """
Measure the share of the conversation's speaking time taken by the Main Agent.

Counting rules: Main Agent speaking time divided by total speaking time of both parties, from the turn timestamps in {{transcript}}; silence is excluded. Result between 0 and 1.

Direction: around 0.4-0.6 is balanced; much higher means the agent dominates.

Return N/A when no timestamps are available.

Output the ratio.
""",
    ),
    _m(
        "unnecessary_repetition_count", "Unnecessary Repetition Count", CONVERSATION, "numeric",
        """
Count how many times the Main Agent repeats information or a question it already gave or asked when the caller did not ask for a repeat.

Counting rules: each repeated statement or question counts once per repetition; repeats requested by the caller, or confirmations of a value the caller just gave, do not count.

Direction: lower is better.

""" + _NA_COMMON + """

Output the count.
""",
    ),
    _m(
        "detect_silence", "Detect Silence", CONVERSATION, "binary",
        """
Detect long silences in the call.

TRUE: at some point neither party spoke for 10 seconds or more (from the timestamps in {{transcript}}). Example: a 14-second gap after the agent says "let me check".
FALSE: no gap reached 10 seconds.

Return N/A when no timestamps are available.

Output TRUE or FALSE and the longest gap in seconds.
""",
    ),
]
