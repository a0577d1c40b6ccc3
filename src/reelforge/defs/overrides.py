"""Operators' jobs to steer the policy: set or remove an override, with an audit entry."""

import dagster as dg

from reelforge.defs.resources.storage import LedgerResource
from reelforge.lib.overrides import OverrideError, OverrideStore
from reelforge.lib.policy.space import SpaceError, channel_space, coerce
from reelforge.partitions import current_config


class SetOverrideConfig(dg.Config):
    channel: str
    parameter: str  # genre, hook_style, voice, speaking_rate_wpm, music_mood, ...
    kind: str  # pin | exclude | ab
    values: list[str]
    reason: str
    author: str


class RemoveOverrideConfig(dg.Config):
    override_id: int
    reason: str
    author: str


def check_values(channel: str, parameter: str, kind: str, values: list[str]) -> None:
    """Refuse values the stages cannot use, and exclusions that leave nothing to choose."""
    try:
        space = channel_space(current_config().channel(channel))
    except KeyError as exc:
        raise OverrideError(str(exc.args[0])) from None
    try:
        typed = {coerce(parameter, v) for v in values}
    except SpaceError as exc:
        raise OverrideError(f"invalid override: {exc}") from None
    if kind == "exclude" and parameter in space.values and set(space.values[parameter]) <= typed:
        raise OverrideError(f"invalid override: excluding every allowed {parameter} of {channel}")


@dg.op(description="Validate and store an override of the policy, with its audit entry.")
def store_override(
    context: dg.OpExecutionContext, config: SetOverrideConfig, ledger: LedgerResource
) -> int:
    check_values(config.channel, config.parameter, config.kind, config.values)
    override = OverrideStore(ledger.ledger().engine).add(
        config.channel, config.parameter, config.kind, config.values, config.reason, config.author
    )
    context.log.info(f"override {override.override_id}: {config.channel} {override.describe()}")
    context.add_output_metadata(
        {"override_id": override.override_id, "describe": override.describe()}
    )
    return override.override_id


@dg.op(description="Deactivate an override of the policy, with its audit entry.")
def drop_override(
    context: dg.OpExecutionContext, config: RemoveOverrideConfig, ledger: LedgerResource
) -> None:
    OverrideStore(ledger.ledger().engine).remove(config.override_id, config.reason, config.author)
    context.log.info(f"override {config.override_id} removed")


@dg.job(
    name="set_policy_override",
    description="Pin, exclude or A/B-split a plan parameter of a channel; wins over the "
    "policy from the next generation_plan on. Run config: channel, parameter, kind, values, "
    "reason, author.",
)
def set_policy_override() -> None:
    store_override()


@dg.job(
    name="remove_policy_override",
    description="Deactivate an override by id (run config: override_id, reason, author).",
)
def remove_policy_override() -> None:
    drop_override()
