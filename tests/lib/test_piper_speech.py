"""Piper's offline neural voice through the shared composition, timed by scaled espeak-ng."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reelforge.lib import wavio
from reelforge.lib.ledger import Ledger
from reelforge.lib.media import MediaStore
from reelforge.lib.narration import compose
from reelforge.lib.providers.booking import Booker
from reelforge.lib.providers.speech_engines import espeak_reference, piper_speaker

TEXTS = ["The ocean is deep.", "Nobody has seen all of it."]


def test_piper_narration_is_speech_with_words_and_booked_once(tmp_path: Path) -> None:
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    booker = Booker(ledger, MediaStore(tmp_path / "media"), "ep", "narration")
    speak_all = piper_speaker(170, booker, espeak_reference("en-us", 170)).speak_all
    n = compose(TEXTS, tmp_path / "a.wav", speak_all=speak_all)
    assert [w.text for w in n.words] == " ".join(TEXTS).split()
    audio, rate = wavio.read_wav(tmp_path / "a.wav")
    for w in n.words:
        assert 0 <= w.start < w.end <= n.duration
        span = audio[int(w.start * rate) : int(w.end * rate)]
        assert np.sqrt(np.mean(span.astype(np.float64) ** 2)) > 0.01
    # One $0 row; the second narration replays the stored audio byte for byte.
    compose(TEXTS, tmp_path / "b.wav", speak_all=speak_all)
    assert [(c["provider"], c["cost_usd"]) for c in ledger.calls_for("ep")] == [("piper", 0.0)]
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()
