"""Music providers against the fake ElevenLabs Music API, the library and the synthesiser."""

from __future__ import annotations

import csv
from pathlib import Path

import dagster as dg
import pytest

from reelforge.constants import DEFAULT_PRICES
from reelforge.defs.assets.music import music as music_asset
from reelforge.defs.assets.plan import generation_plan
from reelforge.defs.resources.io_manager import RecordIOManager
from reelforge.defs.resources.music_providers import MusicProviders
from reelforge.defs.resources.provider_set import Endpoint
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.fakes.process import set_faults, stats
from reelforge.lib import loudness, music, wavio
from reelforge.lib.ledger import Ledger
from reelforge.lib.media import MediaStore
from reelforge.lib.models import NarrationRecord
from reelforge.lib.music_library import COLUMNS
from reelforge.lib.providers.booking import Booker
from reelforge.lib.providers.errors import ProviderError
from reelforge.lib.providers.http import CircuitBreaker, ProviderHttp, RetrySettings
from reelforge.lib.providers.music_remote import (
    ElevenLabsMusic,
    MusicRequest,
    decode_payload,
    music_prompt,
    tempo_for,
)
from reelforge.partitions import episode_key, episode_partitions

FAST = RetrySettings(attempts=2, base_seconds=0.01, cap_seconds=0.02, read_timeout=30)
EPISODE = "space_facts-2026-11-21"


def _client(fake: str, key: str = "xi-test") -> ElevenLabsMusic:
    headers = {"xi-api-key": key} if key else {}
    http = ProviderHttp("elevenlabs", f"{fake}/elevenlabs", headers, FAST, CircuitBreaker())
    return ElevenLabsMusic(http, "music_v1")


def _providers(fake: str, library: Path | None = None, mode: str = "remote") -> MusicProviders:
    ep = Endpoint(name="elevenlabs", protocol="elevenlabs", base_url=f"{fake}/elevenlabs",
                  api_key=dg.EnvVar("ELEVENLABS_API_KEY"), model="music_v1")  # fmt: skip
    return MusicProviders(
        mode=mode, endpoints=[ep], prices_path=str(DEFAULT_PRICES), retry_attempts=2,
        library_path=str(library or ""),
    )  # fmt: skip


def _booker(tmp: Path) -> Booker:
    tmp.mkdir(parents=True, exist_ok=True)
    return Booker(Ledger(f"sqlite:///{tmp / 'ledger.sqlite'}"), MediaStore(tmp / "media"),
                  EPISODE, "music")  # fmt: skip


def _compose(providers: MusicProviders, tmp: Path, wanted: list[str], mood: str = "epic"):
    # Resolved as a Dagster run would (dg.EnvVar keys are read at initialisation).
    providers = providers.process_config_and_initialize()
    return providers.compose(mood, 12.5, 42, tmp / "bed.wav", genre="space", wanted=wanted,
                             booker=_booker(tmp))  # fmt: skip


def test_prompt_is_instrumental_and_tempo_is_seeded() -> None:
    bpm = tempo_for("epic", 42)
    assert 94 <= bpm <= 106 and bpm == tempo_for("epic", 42)
    prompt = music_prompt("epic", "space", bpm)
    assert "No vocals, no lyrics" in prompt and f"{bpm} BPM" in prompt and "space" in prompt
    assert MusicRequest(prompt, 12.5, "music_v1").body()["force_instrumental"] is True


@pytest.mark.parametrize("fmt", ["mp3_44100_128", "pcm_44100", "pcm_22050"])
def test_generates_decodable_audio_in_each_format(fake: str, fmt: str) -> None:
    request = MusicRequest(music_prompt("calm", "space", 70), 10.0, "music_v1", fmt)
    audio = decode_payload(_client(fake).generate(request), fmt)
    assert audio.shape[1] == 2 and abs(len(audio) / 44100 - 10.0) < 0.1
    assert stats(fake)["elevenlabs.music.ok"] == 1


def test_refusals_bad_keys_and_garbage_are_classified(fake: str) -> None:
    request = MusicRequest("calm", 10.0, "music_v1")
    with pytest.raises(ProviderError) as err:
        _client(fake, key="").generate(request)
    assert err.value.status == 401 and not err.value.retryable
    set_faults(fake, options={"music.refuse": True})
    with pytest.raises(ProviderError, match="refused the prompt") as err:
        _client(fake).generate(request)
    assert err.value.safety and "calm" not in str(err.value)
    assert stats(fake)["elevenlabs.music.requests"] == 2  # neither was retried


def test_remote_bed_is_fitted_booked_once_and_reused(
    fake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ELEVENLABS_API_KEY", "xi-secret")
    served = _compose(_providers(fake), tmp_path, ["elevenlabs"])
    assert served.provider == "elevenlabs"
    bed = served.value
    audio, rate = wavio.read_wav(tmp_path / "bed.wav")
    assert audio.shape == (round(12.5 * rate), 2) and bed.duration == pytest.approx(12.5)
    assert abs(loudness.integrated_lufs(audio, rate) - music.TARGET_LUFS) < 0.5
    assert bed.licence["source"] == "generated" and bed.bpm == tempo_for("epic", 42)
    (call,) = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}").calls_for(EPISODE)
    assert call["provider"] == "elevenlabs" and call["units"] == 12.5
    assert call["cost_usd"] == pytest.approx(12.5 * 0.01)

    again = _compose(_providers(fake), tmp_path, ["elevenlabs"])
    assert again.value == bed and stats(fake)["elevenlabs.music.ok"] == 1  # not asked again
    assert len(Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}").calls_for(EPISODE)) == 1


def _library(folder: Path, licence: str) -> Path:
    music.compose("epic", 4.0, 1, folder / "epic.wav")
    with open(folder / "tracks.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerow(["epic.wav", "Rising", "D. Composer", "epic", "100", licence, "", ""])
    return folder


def test_chain_falls_back_to_the_library_then_the_synthesiser(
    fake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ELEVENLABS_API_KEY", "xi-secret")
    set_faults(fake, rate=1.0, kinds=["500"])
    library = _library(tmp_path / "lib", "CC0-1.0")
    served = _compose(_providers(fake, library), tmp_path / "a", [])
    assert [a.provider for a in served.attempts] == ["elevenlabs", "library"]
    licence = served.value.licence
    assert licence["licence"] == "CC0-1.0" and licence["title"] == "Rising"

    # No licensed track for the mood: on to the synthesiser, which books $0.
    served = _compose(_providers(fake, library), tmp_path / "b", [], mood="dark")
    assert served.provider == "local" and "no licensed track" in served.summary
    calls = Ledger(f"sqlite:///{tmp_path / 'b' / 'ledger.sqlite'}").calls_for(EPISODE)
    assert [(c["provider"], c["cost_usd"]) for c in calls] == [("numpy-synth", 0.0)]


def test_unlicensed_library_is_never_used_and_offline_mode_skips_apis(
    fake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ELEVENLABS_API_KEY", "xi-secret")
    unlicensed = _library(tmp_path / "lib", "")
    served = _compose(_providers(fake, unlicensed, mode="local"), tmp_path / "a", [])
    assert served.provider == "local" and "library ✗" in served.summary
    assert served.value.licence["licence"] == "CC0-1.0"
    assert stats(fake).get("elevenlabs.music.requests", 0) == 0
    assert _providers(fake, mode="local").chain(["elevenlabs"]) == ["local"]
    assert _providers(fake, unlicensed, mode="local").chain([]) == ["library", "local"]
    assert _providers(fake).chain([]) == ["elevenlabs", "local"]  # no library configured
    served = _compose(_providers(fake), tmp_path / "b", ["library"])
    assert served.provider == "local" and "not configured (set REELFORGE_MUSIC_LIBRARY)" in (
        served.summary
    )


def test_garbage_audio_falls_back_without_losing_the_booking(
    fake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ELEVENLABS_API_KEY", "xi-secret")
    set_faults(fake, options={"music.garbage": True})
    served = _compose(_providers(fake), tmp_path, [])
    assert served.provider == "local" and "unusable audio" in served.summary
    providers = {c["provider"] for c in Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
                 .calls_for(EPISODE)}  # fmt: skip
    assert providers == {"elevenlabs", "numpy-synth"}  # the paid answer stays in the books


@dg.asset(name="narration", partitions_def=episode_partitions)
def _narration_stub() -> NarrationRecord:
    return NarrationRecord(audio_key=f"sha256/00/{'0' * 64}.wav", duration=11.5, segments=[],
                           words=[], voice="en-us", integrated_lufs=-16.0)  # fmt: skip


def test_music_asset_reports_provider_licence_and_cost(
    fake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ELEVENLABS_API_KEY", "xi-secret-DO-NOT-LEAK")
    resources = {
        "io_manager": RecordIOManager(root=str(tmp_path / "records")),
        "media": MediaStoreResource(root=str(tmp_path / "media")),
        "ledger": LedgerResource(url=f"sqlite:///{tmp_path / 'ledger.sqlite'}"),
        "music_source": _providers(fake),
    }
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [generation_plan, _narration_stub, music_asset],
            partition_key=episode_key("2026-11-21", "space_facts"),
            resources=resources,
            instance=instance,
        )
        assert result.success
        meta = result.asset_materializations_for_node("music")[0].metadata
        logs = "\n".join(str(e) for e in instance.all_logs(result.run_id))
    assert meta["provider"].value == "elevenlabs" and meta["duration_s"].value == 12.5
    assert meta["cost_usd"].value == pytest.approx(12.5 * 0.01)
    assert "generated" in meta["licence"].value
    assert "xi-secret-DO-NOT-LEAK" not in logs
