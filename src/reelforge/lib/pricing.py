"""The price table (config/prices.yaml): what a provider call costs, by family and model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class PriceTable:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @classmethod
    def load(cls, path: Path) -> PriceTable:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"cannot read price table {path}: {exc}") from None
        if not isinstance(data, dict):
            raise ValueError(f"price table {path} must be a mapping of family → provider → model")
        return cls(data)

    def rates(self, family: str, provider: str, model: str) -> dict[str, Any]:
        models = self.data.get(family, {}).get(provider, {})
        rates = models.get(model) or models.get("default")
        if rates is None:
            raise ValueError(f"no price for {family}/{provider}/{model} in the price table")
        return rates

    def llm(self, provider: str, model: str, tokens_in: int, tokens_out: int) -> float:
        r = self.rates("llm", provider, model)
        return (tokens_in * r["input_per_mtok"] + tokens_out * r["output_per_mtok"]) / 1e6

    def per_unit(self, family: str, provider: str, model: str, key: str, units: float) -> float:
        return units * float(self.rates(family, provider, model)[key])

    def clip(self, provider: str, model: str, seconds: float, resolution: str) -> float:
        r = self.rates("clips", provider, model)
        multiplier = r.get("multipliers", {}).get(resolution)
        if multiplier is None:
            raise ValueError(f"no {resolution} multiplier for clips/{provider}/{model}")
        return seconds * float(r["per_second"]) * float(multiplier)
