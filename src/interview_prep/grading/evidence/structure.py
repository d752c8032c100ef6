"""Remarks on an answer's length and shape, and the STAR check for behavioral questions.

STAR parts are spotted by cue phrases, not understood: "at my last job we had..." sets a situation,
"I was responsible for..." a task, first-person verbs of doing an action, and "as a result",
"reduced", "improved" a result, which counts as quantified when the same sentence has a number.
"""

from __future__ import annotations

import re

from ...domain import Question
from ..result import StarResult, StructureResult
from ..text.numbers import find_numbers
from ..text.tokens import split_sentences, word_count

BEHAVIORAL_CATEGORIES = ("behavioral", "behavioural", "behaviour", "behavior")

_SITUATION = re.compile(
    r"\b(at my (?:previous|last|current|first)|in my (?:previous|last|current|first)|when i was|"
    r"while i was|we had|we were|there was|our team|the team|the project|a project|"
    r"the situation|context|background|last year|a few years ago|once,? )",
    re.IGNORECASE,
)
_TASK = re.compile(
    r"\b(my (?:role|task|job|goal|responsibility)|i was (?:responsible|asked|tasked|in charge)|"
    r"i needed to|i had to|we needed to|we had to|the goal was|the task was|i owned|"
    r"my objective|i was assigned|(?:wanted|needed|had) to|the (?:goal|challenge|problem) was|"
    r"to (?:resolve|fix|reduce|improve|decide|convince|explain))",
    re.IGNORECASE,
)
_ACTION = re.compile(
    r"\bi (?:\w+ed|built|wrote|led|ran|made|took|set up|chose|spent|sat down|got)\b|"
    r"\bi (?:decided|built|wrote|designed|implemented|led|proposed|set up|created|introduced|"
    r"analy[sz]ed|investigated|talked|met|organi[sz]ed|refactored|added|changed|reached out|"
    r"started|ran|migrated|automated|fixed|debugged|profiled|worked|collaborated|scheduled|"
    r"prioriti[sz]ed|convinced|explained|trained|deployed|reviewed|mentored|negotiated|"
    r"split|moved|replaced|rewrote|measured|tested)\b",
    re.IGNORECASE,
)
_RESULT = re.compile(
    r"\b(as a result|result(?:ed|s)? in|in the end|ultimately|outcome|consequently|"
    r"reduc(?:ed|ing)|improv(?:ed|ing)|increas(?:ed|ing)|decreas(?:ed|ing)|cut|saved|"
    r"grew|shipped|launched|delivered|achieved|dropped|went (?:up|down)|from \S+ to|"
    r"faster|fewer|lower|higher|captured|successfully|led to|maintain(?:ed|ing)?)\b",
    re.IGNORECASE,
)

SHORT_WORDS = 15
LONG_WORDS = 450


_STORY = re.compile(
    r"\b(tell me about|describe (?:a|an|the)|a time|give (?:me )?an example|walk me through|"
    r"have you ever|share an? (?:example|experience|situation))\b",
    re.IGNORECASE,
)
_PAST_OPENING = re.compile(r"\b(?:was|were|had|\w+ed|built|wrote|led|ran|made|took)\b", re.I)


def is_behavioral(question: Question) -> bool:
    return question.category.strip().lower() in BEHAVIORAL_CATEGORIES


def asks_for_a_story(question: Question) -> bool:
    """A behavioral question that asks for an experience ("Tell me about a time..."), which a
    STAR story answers; "Why do you want this job?" does not."""
    return is_behavioral(question) and bool(_STORY.search(question.question))


def check_star(answer: str) -> StarResult:
    sentences = split_sentences(answer) or []
    result = any(_RESULT.search(s.text) for s in sentences)
    quantified = any(_RESULT.search(s.text) and find_numbers(s.text) for s in sentences)
    opening = sentences[0].text if sentences else ""
    return StarResult(
        # A story that opens on what happened (past tense) has set its scene.
        situation=bool(_SITUATION.search(answer) or _PAST_OPENING.search(opening)),
        task=bool(_TASK.search(answer)),
        action=bool(_ACTION.search(answer)),
        result=result,
        quantified=quantified,
    )


def assess_structure(question: Question, answer: str, *, quickfire: bool) -> StructureResult:
    """Length and shape remarks; for behavioral questions, the STAR parts present."""
    words = word_count(answer)
    sentences = split_sentences(answer)
    remarks: list[str] = []
    if quickfire:
        if words > 60:
            remarks.append("A quick-fire question wants a short answer: lead with it.")
    elif words and words < SHORT_WORDS:
        remarks.append(f"Very short ({words} words): add the why and an example.")
    elif words > LONG_WORDS:
        remarks.append(f"Long ({words} words): an interviewer wants the key points in 1-2 minutes.")
    if not quickfire and sentences:
        longest = max(word_count(s.text) for s in sentences)
        if longest > 70:
            remarks.append("Some sentences are very long; shorter ones are easier to follow aloud.")
    star = None
    if asks_for_a_story(question):
        star = check_star(answer)
        missing = star.missing
        if missing:
            remarks.append("STAR: add " + ", ".join(missing) + ".")
        else:
            remarks.append("STAR: situation, task, action and a quantified result are all there.")
    return StructureResult(words=words, sentences=len(sentences), remarks=tuple(remarks), star=star)
