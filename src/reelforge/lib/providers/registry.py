"""Which remote providers exist, per family, and where their settings come from.

A provider is *configured* when its key variable is set (for local servers such as Ollama,
when its base-URL variable is set). Keys are read by Dagster through `dg.EnvVar`; only the
variable names live here. Models default per family and are overridden by
``REELFORGE_<PROVIDER>_<FAMILY>_MODEL``; base URLs by ``REELFORGE_<PROVIDER>_BASE_URL``.
"""

from __future__ import annotations

from dataclasses import dataclass

LOCAL = "local"
# A licensed music folder (REELFORGE_MUSIC_LIBRARY): a provider name with no key or URL.
LIBRARY = "library"
# Offline neural speech (piper-tts with a voice shipped as a wheel); opt-in per channel.
PIPER = "piper"
# Provider names that are not remote APIs, per family (listed before local in names_for).
LOCAL_SOURCES: dict[str, tuple[str, ...]] = {"music": (LIBRARY,), "speech": (PIPER,)}


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    protocol: str
    key_env: str | None
    default_base: str | None
    models: dict[str, str]  # family -> default model

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(self.models)

    @property
    def base_env(self) -> str:
        return f"REELFORGE_{self.name.upper()}_BASE_URL"

    def model_env(self, family: str) -> str:
        return f"REELFORGE_{self.name.upper()}_{family.upper()}_MODEL"


SPECS: tuple[ProviderSpec, ...] = (
    ProviderSpec("openai", "openai", "OPENAI_API_KEY", "https://api.openai.com/v1", {
        "story": "gpt-4o-mini", "speech": "gpt-4o-mini-tts", "images": "gpt-image-1",
        "clips": "sora-2", "moderation": "omni-moderation-latest"}),
    ProviderSpec("anthropic", "anthropic", "ANTHROPIC_API_KEY", "https://api.anthropic.com",
                 {"story": "claude-haiku-4-5"}),
    ProviderSpec("mistral", "openai", "MISTRAL_API_KEY", "https://api.mistral.ai/v1",
                 {"story": "mistral-small-latest"}),
    ProviderSpec("ollama", "openai", None, None, {"story": "llama3.2"}),
    ProviderSpec("vllm", "openai", None, None, {"story": "default"}),
    ProviderSpec("llamacpp", "openai", None, None, {"story": "default"}),
    ProviderSpec("elevenlabs", "elevenlabs", "ELEVENLABS_API_KEY", "https://api.elevenlabs.io",
                 {"speech": "eleven_multilingual_v2", "music": "music_v1"}),
    ProviderSpec("stability", "stability", "STABILITY_API_KEY", "https://api.stability.ai",
                 {"images": "core"}),
    ProviderSpec("fal", "fal", "FAL_KEY", "https://queue.fal.run",
                 {"images": "fal-ai/flux/schnell",
                  "clips": "fal-ai/kling-video/v2.1/standard/image-to-video"}),
    ProviderSpec("veo", "veo", "GEMINI_API_KEY", "https://generativelanguage.googleapis.com/v1beta",
                 {"clips": "veo-3.0-fast-generate-001"}),
)  # fmt: skip

BY_NAME = {s.name: s for s in SPECS}


def names_for(family: str) -> list[str]:
    """Every provider name a channel may list for `family` (local included)."""
    remote = [s.name for s in SPECS if family in s.models]
    return [*remote, *LOCAL_SOURCES.get(family, ()), LOCAL]
