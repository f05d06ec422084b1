"""Text recognition of line crops: rapidocr's PP-OCR recogniser, batched, offline.

Only the recogniser runs. The grid already says where the ink is (cells from the
ruling lines, text lines from the ink inside them), so the detector, which costs
most of a full-page OCR and misses lone marks such as a "—", is not needed.

The model is the one inside the ``rapidocr`` wheel, run directly by OpenVINO
(onnxruntime where OpenVINO is missing): its character list is stored in the
model itself, so nothing is ever downloaded, and the greedy CTC decoding (a dozen
lines) gives per-character probabilities and positions, which the fixes below use.

``fix_text`` repairs what the recogniser is known to get wrong on these forms,
each rule for one observed confusion (‰ read as %0, a full-width colon, …).
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from extract.model import OCRSettings

log = logging.getLogger(__name__)

REC_MODEL = "PP-OCRv6_rec_small.onnx"
HEIGHT = 48  # the recogniser's input height
STRIDE = 8  # input pixels per output frame
BUCKET = 32  # input widths come in steps of this many columns


class OCRUnavailable(RuntimeError):
    """The recognition model or onnxruntime is missing from this installation."""


@dataclass(frozen=True)
class Reading:
    """What one crop says: text, mean character probability, and each character's
    probability and horizontal centre as a share of the crop's width.

    ``runners`` are the recogniser's second choices where it hesitated: (index of the
    character, the other character, its probability), for a runner-up at least
    OCRSettings.runner_up likely; "" for a first or last character that may not be
    there at all. They are what the crop may also say; the reader of the
    cell (normalize) decides which fits, and says so when more than one does.
    """

    text: str
    confidence: float
    chars: tuple[tuple[str, float, float], ...] = ()
    runners: tuple[tuple[int, str, float], ...] = ()

    @classmethod
    def of(cls, chars: tuple[tuple[str, float, float], ...],
           runners: tuple[tuple[int, str, float], ...] = ()) -> Reading:
        """The reading these characters make."""
        confidence = float(np.mean([p for _, p, _ in chars])) if chars else 0.0
        return cls("".join(c for c, _, _ in chars), confidence, chars, runners)

    def variants(self) -> list[Reading]:
        """The reading with one character swapped for its runner-up, likeliest first."""
        out = []
        for k, other, p in sorted(self.runners, key=lambda r: -r[2]):
            chars = list(self.chars)
            chars[k] = (other, p, chars[k][2])
            out.append(Reading.of(tuple(c for c in chars if c[0])))  # "": not there at all
        return out


def model_file(name: str = REC_MODEL) -> Path:
    """A model shipped inside the rapidocr wheel (never fetched)."""
    try:
        path = Path(str(resources.files("rapidocr") / "models" / name))
    except ModuleNotFoundError as exc:
        raise OCRUnavailable("rapidocr is not installed: pip install rapidocr") from exc
    if not path.is_file():
        raise OCRUnavailable(f"rapidocr ships no {name} (looked in {path.parent})")
    return path


def available_threads() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Recognizer:
    """The recognition model, loaded on first use into the engine the settings name."""

    def __init__(self, settings: OCRSettings) -> None:
        self.settings = settings
        self._engine: _Engine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> str:
        """The engine that runs the model ("openvino" or "onnxruntime")."""
        return self._loaded().name

    @property
    def label(self) -> str:
        """Engine and precision, e.g. "openvino-bf16" (recorded with each document)."""
        return self._loaded().label

    def _loaded(self) -> _Engine:
        with self._lock:
            if self._engine is None:
                self._engine = open_engine(self.settings)
            return self._engine

    def read(self, crops: Sequence[np.ndarray]) -> list[Reading]:
        """Each grey crop (uint8, text dark on light) read as one line of text."""
        if not crops:
            return []
        engine = self._loaded()
        widths = [_input_width(c) for c in crops]
        order = sorted(range(len(crops)), key=lambda k: widths[k])
        out: list[Reading | None] = [None] * len(crops)
        for batch in _batches(order, widths, self.settings.batch):
            width = _bucket(widths[batch[-1]])
            tensor = np.zeros((len(batch), 3, HEIGHT, width), dtype=np.float32)
            for row, k in enumerate(batch):
                tensor[row, :, :, :widths[k]] = _normalised(crops[k], widths[k])
            with self._lock:  # one inference request: threads take turns
                probs = engine.run(tensor)
            for row, k in enumerate(batch):
                frames = max(1, math.ceil(widths[k] / STRIDE))
                out[k] = decode(probs[row, :frames], engine.charset, self.settings.runner_up)
        return [r if r is not None else Reading("", 0.0) for r in out]


def _input_width(crop: np.ndarray) -> int:
    h, w = crop.shape[:2]
    return max(HEIGHT // 2, int(math.ceil(HEIGHT * w / max(h, 1))))


def _bucket(width: int) -> int:
    """The input width a crop is padded to. Every new input shape costs OpenVINO
    ~50 ms to prepare, so widths come in steps, which bounds the shapes a process
    ever meets: 32 columns (4 output frames) up to 1024, then 1/32 to 1/16 of the width."""
    step = BUCKET << max(0, width.bit_length() - 10)
    return -(-width // step) * step


def _batches(order: list[int], widths: list[int], size: int) -> list[list[int]]:
    """Crops that pad to the same width together, in batches of at most ``size``,
    largest power of two first (7 crops, size 8: 4, 2, 1), so that few batch sizes,
    each one more input shape, occur. The default size is 1: with OpenVINO one
    crop a call was fastest here, every new shape costing more than batching saves."""
    groups: list[list[int]] = []
    for k in order:
        if groups and _bucket(widths[k]) == _bucket(widths[groups[-1][0]]):
            groups[-1].append(k)
        else:
            groups.append([k])
    batches: list[list[int]] = []
    for group in groups:
        while group:
            n = min(size, 1 << (len(group).bit_length() - 1))
            batches.append(group[:n])
            group = group[n:]
    return batches


def _normalised(crop: np.ndarray, width: int) -> np.ndarray:
    resized = cv2.resize(crop, (width, HEIGHT), interpolation=cv2.INTER_AREA
                         if crop.shape[0] > HEIGHT else cv2.INTER_LINEAR)
    plane = resized.astype(np.float32) / 127.5 - 1.0
    return np.broadcast_to(plane, (3, HEIGHT, width))


# --- engines ---------------------------------------------------------------------------

class _Engine(Protocol):
    name: str
    label: str
    charset: tuple[str, ...]

    def run(self, tensor: np.ndarray) -> np.ndarray: ...


def _charset(listing: str) -> tuple[str, ...]:
    # CTC class 0 is the blank; the model's own list follows, then a space
    return ("", *listing.splitlines(), " ")


class _OpenVINO:
    """OpenVINO on the CPU. On CPUs with bfloat16 units (AMX, AVX-512 BF16) it
    computes in bfloat16 by default: 3× faster than onnxruntime's float32 per
    input column here, with the same readings on the committed scans."""

    name = "openvino"

    def __init__(self, path: Path, threads: int, precision: str = "auto") -> None:
        import openvino as ov

        core = ov.Core()
        model = core.read_model(str(path))
        key = ["framework", "character"]
        if not model.has_rt_info(key):
            raise OCRUnavailable(f"{path.name} carries no character list")
        self.charset = _charset(model.get_rt_info(key).astype(str))
        config = {"INFERENCE_NUM_THREADS": threads, "PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": 1}
        if precision == "auto" and "BF16" in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"):
            # OpenVINO itself turns bf16 on only with AMX; AVX-512 BF16 (AMD EPYC) computes
            # it natively too, 1.6x faster than f32 here
            precision = "bf16"
        if precision != "auto":
            config["INFERENCE_PRECISION_HINT"] = precision
        compiled = core.compile_model(model, "CPU", config)
        self._request = compiled.create_infer_request()
        precision = str(compiled.get_property("INFERENCE_PRECISION_HINT"))
        self.label = "openvino-" + ("bf16" if "bfloat16" in precision else
                                    "f16" if "float16" in precision else "f32")

    def run(self, tensor: np.ndarray) -> np.ndarray:
        return self._request.infer({0: tensor})[0]


class _OnnxRuntime:
    name = "onnxruntime"

    def __init__(self, path: Path, threads: int, precision: str = "auto") -> None:
        import onnxruntime as ort

        if precision == "bf16":
            raise OCRUnavailable("onnxruntime computes the model in f32 only")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # onnxruntime's arena keeps the largest buffers it ever needed for each
        # shape and grew to 1.5 GB over 95 scanned pages; without it memory levels
        # off, for ~11% more time per page
        options.enable_cpu_mem_arena = False
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(path), sess_options=options,
                                             providers=["CPUExecutionProvider"])
        meta = self._session.get_modelmeta().custom_metadata_map
        if "character" not in meta:
            raise OCRUnavailable(f"{path.name} carries no character list")
        self.charset = _charset(meta["character"])
        self._input = self._session.get_inputs()[0].name
        self.label = "onnxruntime-f32"

    def run(self, tensor: np.ndarray) -> np.ndarray:
        return self._session.run(None, {self._input: tensor})[0]


ENGINES: dict[str, type] = {"openvino": _OpenVINO, "onnxruntime": _OnnxRuntime}


def open_engine(settings: OCRSettings) -> _Engine:
    """The engine ``settings.engine`` names; "auto" is OpenVINO where it is
    installed, else onnxruntime."""
    names = list(ENGINES) if settings.engine == "auto" else [settings.engine]
    path = model_file()
    threads = settings.threads or available_threads()
    failures = []
    for name in names:
        try:
            return ENGINES[name](path, threads, settings.precision)
        except ImportError:
            failures.append(f"{name} is not installed")
        except Exception as exc:  # installed but unusable here (CPU plugin, model): try the next
            if settings.engine != "auto":
                raise OCRUnavailable(f"{name} cannot run the model: {exc}") from exc
            log.warning("OCR engine %s cannot run the model (%s); trying the next", name, exc)
            failures.append(f"{name} failed: {exc}")
    raise OCRUnavailable(f"no OCR engine can run ({'; '.join(failures)}): "
                         f"pip install {names[0]}")


# Glyphs the recogniser cannot tell apart on their own and that fix_text reads
# alike: a frame's confidence is the probability of the whole group, so a lone
# "0" split between 0, o and O is not reported as doubtful.
ZERO_LIKE = ("0", "o", "O", "〇", "０", "Ｏ")


@lru_cache(maxsize=4)
def _zero_like(charset: tuple[str, ...]) -> np.ndarray:
    return np.array([k for k, ch in enumerate(charset) if ch in ZERO_LIKE], dtype=np.intp)


def decode(probs: np.ndarray, charset: tuple[str, ...], runner_up: float) -> Reading:
    """Greedy CTC: the likeliest class per frame, repeats and blanks dropped; where the
    second likeliest class of a kept frame is another character at least ``runner_up``
    likely (OCRSettings.runner_up; not a space, not the same glyph group), it is kept
    as a runner-up. The blank says the character may not be there: inside the line that
    is a faint stroke of a character, kept; at either end, where a character under
    1 - ``runner_up`` likely has the blank for its runner-up, it may be a speck beside
    the text, so the line without it is a runner-up too ("")."""
    best = probs.argmax(axis=1)
    score = probs[np.arange(len(best)), best]
    zeros = _zero_like(charset)
    if zeros.size:
        zero_frames = np.isin(best, zeros)
        if zero_frames.any():
            score = score.copy()
            score[zero_frames] = probs[np.ix_(np.flatnonzero(zero_frames), zeros)].sum(axis=1)
    keep = best != 0
    keep[1:] &= best[1:] != best[:-1]
    frames = np.flatnonzero(keep)
    n = max(len(best), 1)
    runners = []
    # only a frame whose best class is under 1 - runner_up can have such a runner-up
    for k in np.flatnonzero(probs[frames, best[frames]] < 1.0 - runner_up):
        f = frames[k]
        row = probs[f].copy()
        row[best[f]] = -1.0
        second = int(row.argmax())
        p = float(probs[f, second])
        if (p >= runner_up and second != 0 and not charset[second].isspace()
                and not (second in zeros and best[f] in zeros)):
            runners.append((int(k), charset[second], p))
        elif second == 0 and k in (0, len(frames) - 1):
            # a weak character at the line's end that may not be there at all: what a
            # speck or a seal's trace beside the text reads as ("山泉州市…")
            runners.append((int(k), "", p))
    return Reading.of(tuple((charset[best[f]], float(score[f]), (f + 0.5) / n) for f in frames),
                      tuple(runners))


@lru_cache(maxsize=2)
def recognizer(settings: OCRSettings) -> Recognizer:
    """One recogniser per process and settings: loading the model costs ~0.3 s,
    more than reading a page, so documents share it."""
    return Recognizer(settings)


# --- fixes for known confusions -------------------------------------------------------

_PERMILLE = re.compile(r"(?:(?<=\d)|^)\s*%\s*[0oO○〇](?![\d.])")
_NUMERIC = re.compile(r"^[<>≤≥≦≧=±+\-—－~～约]*\s*[\dOoIl|.,，。%‰]+$")
_LOOKALIKE_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
_WIDE_SEPARATOR = re.compile(r"(?<=\d)([。，])(?=\d)")
_GROUPED = re.compile(r"^(\d{1,3}(?:[.,\s]+\d{3})+[.,]\d{2})(元?)$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TRAILING_SPECK = re.compile(r"^(\d[\d,]*\.\d{2})[.。]$")  # amounts: two decimals
_DOUBLED_ROMAN = re.compile(r"(?<!Ⅲ)(Ⅲ)Ⅲ(?!Ⅲ)")  # only seen for Ⅲ; ⅠⅠ may be a Ⅱ
_ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "VI": "Ⅵ"}
_LATIN_CLASS = re.compile(r"(?<=[\u4e00-\u9fffⅠⅡⅢⅣⅤⅥ~～])(III|II|IV|VI|I|V)(?=类)")
_DASHES = {"-", "－", "一", "—", "―", "‒", "–", "_", "ー", "二"}


_DUST = "·•∙"


def without_dust(reading: Reading) -> Reading:
    """The reading without leading middle dots: a speck of dust left of the text
    reads as one ("·%" in a 计量单位 cell, "·重点支出保障率" at 150 dpi), and no
    cell of these forms starts with one. Confidence is the rest's: the speck's
    doubt is not the text's."""
    k = 0
    while k < len(reading.chars) and reading.chars[k][0] in _DUST:
        k += 1
    return Reading.of(reading.chars[k:], tuple((i - k, c, p) for i, c, p in reading.runners
                                               if i >= k)) if k else reading


def is_dot(text: str) -> bool:
    """A reading that is only dots: a speck of dust read for what it is (a dash read as
    nothing at all is still a dash, a dot is not)."""
    stripped = "".join(text.split())
    return bool(stripped) and all(ch in _DUST + "." for ch in stripped)


def fix_text(text: str) -> str:
    """Known misreadings repaired; each rule names the confusion it undoes."""
    text = text.strip()
    # ‰ is read as "%0" or "%o", after a number or alone (a 计量单位 cell): a
    # per-mille sign is a percent sign with a second ring
    text = _PERMILLE.sub("‰", text)
    # letters standing in for digits inside a plain number ("1O0%", "2O.5"), and
    # full-width 。， between its digits ("12。5"); a 。 ending a sentence stays ("96.3%。")
    if _NUMERIC.match(text) and any(ch.isdigit() for ch in text):
        text = text.translate(_LOOKALIKE_DIGITS)
        text = _WIDE_SEPARATOR.sub(lambda m: "." if m.group(1) == "。" else ",", text)
    # a cell that is one ring alone is a zero: a lone Latin O means nothing on
    # these forms, and the recogniser cannot tell 0 from o or O without context
    if text in ZERO_LIKE:
        text = "0"
    # an amount with thousands separators and cents: small type blurs "," and "."
    # into each other, but the grouping itself says which is which
    grouped = _GROUPED.match(text)
    if grouped:
        digits = re.split(r"[.,\s]+", grouped.group(1))
        text = ",".join(digits[:-1]) + "." + digits[-1] + grouped.group(2)
    # a speck after an amount that already has its decimals ("27128.35.")
    text = _TRAILING_SPECK.sub(r"\1", text)
    # Ⅲ read twice (ⅢⅢ), and a water-quality class read as a Latin letter (劣V类)
    text = _DOUBLED_ROMAN.sub(r"\1", text)
    text = _LATIN_CLASS.sub(lambda m: _ROMAN[m.group(1)], text)
    text = paired(text)
    # a Chinese sentence ends with 。, which small type reads as "." ("达到100%.");
    # only after a character a sentence ends on (not a digit, a letter or "...")
    if text.endswith(".") and len(text) > 2 and (_CJK.match(text[-2]) or text[-2] in "%‰)）”"):
        text = text[:-1] + "。"
    return text


def paired(text: str) -> str:
    """A closing bracket as wide as its opening one: the recogniser reads
    full-width and ASCII brackets alike and mixes them ("（一)")."""
    out, opened = list(text), []
    for k, ch in enumerate(out):
        if ch in "(（":
            opened.append(ch)
        elif ch in ")）" and opened:
            out[k] = "）" if opened.pop() == "（" else ")"
    return "".join(out)


def is_slash(text: str) -> bool:
    """A reading that is only a slash (a "/" cell)."""
    stripped = "".join(text.split())
    return stripped in ("/", "\\", "／")


def is_dash(text: str) -> bool:
    """A reading that is only a dash-like stroke (a "—" cell read as 一, -, _)."""
    stripped = "".join(text.split())
    return bool(stripped) and all(ch in _DASHES for ch in stripped) and len(stripped) <= 2
