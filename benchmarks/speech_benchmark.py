"""Speech benchmark: each packaged Whisper model on spoken answers full of ML vocabulary.

Reports, per model: word error rate (with the app's key-term prompt, and without it), the share of
key terms transcribed right, and the real-time factor on this machine; then the resident memory of
the web app with the grader and both speech models loaded.

The answers are the first sentences of the bundled ML bank's model answers, spoken by espeak-ng in
four English voices (made fresh in a temporary folder, never stored or downloaded):

    .venv/bin/python benchmarks/speech_benchmark.py            # 40 answers, both models
    .venv/bin/python benchmarks/speech_benchmark.py --limit 10 --models tiny.en
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from whisper_normalizer.english import EnglishTextNormalizer

from interview_prep.domain import Question
from interview_prep.formats.files import load_bank_file
from interview_prep.speech.audio import AudioError, decode
from interview_prep.speech.prompt import initial_prompt, key_terms
from interview_prep.speech.transcription import Transcriber

BANK = Path(__file__).resolve().parents[1] / "src/interview_prep/data/banks/ml-engineer.yaml"
VOICES = ("en-us", "en-gb", "en-gb-x-rp", "en-029")
_NORMALIZE = EnglishTextNormalizer()


def words(text: str) -> list[str]:
    """The words of ``text`` after Whisper's English normaliser, as the Whisper paper scores WER.

    It lower-cases, drops punctuation, writes numbers as digits and British spellings as
    American ones, so a transcript is not wrong for writing "centralised" or "two".
    """
    return str(_NORMALIZE(text)).split()


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    row = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        previous, row[0] = row[0], i
        for j, hyp in enumerate(hypothesis, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ref != hyp))
    return row[-1]


def contains(text_words: list[str], term: str) -> bool:
    """Whether ``term`` is said in ``text_words``, a compound either joined or split.

    Whisper writes "pre -processing" for "preprocessing" and "data parallel" for "DataParallel":
    the same letters in the same order, in one to three words, are the term said right.
    """
    wanted = words(term)
    if any(text_words[i : i + len(wanted)] == wanted for i in range(len(text_words))):
        return True
    joined = "".join(wanted)
    return any(
        "".join(text_words[i : i + size]) == joined
        for size in (1, 2, 3)
        for i in range(len(text_words) - size + 1)
    )


@dataclass
class Sample:
    question: Question
    text: str
    terms: list[str]
    path: Path
    seconds: float


def first_sentences(text: str, max_words: int = 35) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    chosen: list[str] = []
    for sentence in sentences:
        if chosen and len(" ".join([*chosen, sentence]).split()) > max_words:
            break
        chosen.append(sentence)
    return " ".join(chosen)


def make_samples(folder: Path, limit: int) -> list[Sample]:
    """Up to ``limit`` spoken answers: every question once, then again in another voice."""
    bank = load_bank_file(BANK)
    samples: list[Sample] = []
    for variant in range(len(VOICES)):
        for index, question in enumerate(bank.questions):
            if len(samples) >= limit:
                return samples
            text = first_sentences(question.answer)
            terms = [term for term in key_terms(question) if contains(words(text), term)]
            if not terms:
                continue
            voice = VOICES[(index + variant) % len(VOICES)]
            raw, wav = folder / f"{index}-{variant}.raw.wav", folder / f"{index}-{variant}.wav"
            speed = 150 + 10 * ((index + variant) % 3)
            subprocess.run(
                ["espeak-ng", "-v", voice, "-s", str(speed), "-w", raw, text], check=True
            )
            subprocess.run(["sox", raw, "-r", "16000", "-c", "1", "-b", "16", wav], check=True)
            seconds = decode(wav, max_seconds=600).duration
            samples.append(Sample(question, text, terms, wav, seconds))
    return samples


def measure(model: str, samples: list[Sample], cache: Path, prompt: bool) -> dict[str, float]:
    transcriber = Transcriber(model, cache)
    started = time.perf_counter()
    transcriber.load()
    load_seconds = time.perf_counter() - started
    errors = reference_words = terms_right = terms_total = refused = 0
    spent = audio = 0.0
    for sample in samples:
        recording = decode(sample.path, max_seconds=600)
        begun = time.perf_counter()
        try:
            text = transcriber.transcribe(
                recording, prompt=initial_prompt(sample.question) if prompt else None
            ).text
        except AudioError as error:  # a clean answer refused counts as every word wrong
            print(f"  refused {sample.path.name}: {error.message}")
            text, refused = "", refused + 1
        spent += time.perf_counter() - begun
        audio += recording.duration
        reference, hypothesis = words(sample.text), words(text)
        errors += edit_distance(reference, hypothesis)
        reference_words += len(reference)
        terms_total += len(sample.terms)
        terms_right += sum(contains(hypothesis, term) for term in sample.terms)
    return {
        "wer": errors / reference_words,
        "key_terms_right": terms_right / terms_total,
        "real_time_factor": spent / audio,
        "load_seconds": load_seconds,
        "audio_seconds": audio,
        "answers": len(samples),
        "refused": refused,
        "key_terms": terms_total,
    }


def server_memory(cache: Path, sample: Path) -> dict[str, float]:
    """Resident memory of the web app, grader loaded, both models loaded and used once."""
    code = f"""
import json, sys
from pathlib import Path
from interview_prep.web.app import create_app
from interview_prep.settings import load_config
from interview_prep.grading.service import grade, get_grader
from interview_prep.speech.audio import decode
from interview_prep.speech.transcription import Transcriber
from interview_prep.formats.files import load_bank_file
def rss():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
app = create_app(config=load_config({{"data_dir": {str(cache / "app")!r}}}))
started = rss()[0]
question = load_bank_file({str(BANK)!r}).questions[0]
grade(question, question.answer)
graded = rss()[0]
recording = decode({str(sample)!r}, max_seconds=600)
for name in ("tiny.en", "base"):
    Transcriber(name, Path({str(cache)!r})).transcribe(recording)
now, peak = rss()
print(json.dumps({{"app_started_mb": started, "grader_loaded_mb": graded,
                   "both_models_loaded_mb": now, "peak_mb": peak}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"the memory step failed:\n{out.stderr}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=40, help="number of spoken answers")
    parser.add_argument("--models", default="tiny.en,base")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--no-baseline", action="store_true", help="only with the key-term prompt")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        samples = make_samples(folder, args.limit)
        print(
            f"{len(samples)} answers, {sum(s.seconds for s in samples):.0f} s of speech, "
            f"{sum(len(s.terms) for s in samples)} key terms; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        cache = Path(os.environ.get("INTERVIEW_PREP_DATA_DIR", folder)) / "models"
        figures: dict[str, object] = {}
        for model in args.models.split(","):
            for prompt in (True,) if args.no_baseline else (True, False):
                result = measure(model, samples, cache, prompt)
                key = f"{model} ({'key-term prompt' if prompt else 'no prompt'})"
                figures[key] = result
                print(
                    f"{key:28} WER {result['wer']:.3f}  key terms right "
                    f"{result['key_terms_right']:.1%}  RTF {result['real_time_factor']:.3f}  "
                    f"load {result['load_seconds']:.1f} s  refused {result['refused']}"
                )
        if not args.skip_memory:
            memory = server_memory(cache, samples[0].path)
            figures["memory"] = memory
            print(
                "server resident memory: started {app_started_mb:.0f} MB, grader loaded "
                "{grader_loaded_mb:.0f} MB, both speech models loaded {both_models_loaded_mb:.0f} "
                "MB (peak {peak_mb:.0f} MB)".format(**memory)
            )
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
