"""Hostile channels files: fuzzed documents and mutated valid configs (calendar included).

The property everywhere: a file either loads into a valid `ChannelsConfig`, or `load_config`
raises the project's own `ConfigError` whose problems name the offending field — never a bare
KeyError/TypeError/RecursionError or a YAML traceback. `reelforge check-config` turns the
same error into a non-zero exit with an `error:` message and no traceback.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, example, given
from hypothesis import strategies as st

from reelforge.cli import main
from reelforge.config import ChannelsConfig, ConfigError, load_config, parse_config
from reelforge.constants import DEFAULT_CONFIG_PATH

BASE: dict[str, Any] = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
REELFORGE = str(Path(sys.executable).parent / "reelforge")
PATH = Path("fuzzed/channels.yaml")

# Values chosen to break naive loaders: wrong types, huge and non-finite numbers, negative
# budgets, unicode and control characters, traversal, YAML-looking text.
HOSTILE_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, -1, -0.01, 1e308, -1e308, math.inf, -math.inf, math.nan, 2**63, 10**400]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=60),
    st.sampled_from(
        ["", " ", "../etc", "/abs", "a\x00b", "x" * 5000, "space_facts\n", "CON", "nul",
         "\u202eevil", "🚀", "2026-02-30", "yesterday", "{{ x }}", "%s", "*alias", "!!python/x"]
    ),
    st.dates().map(lambda d: d),
)  # fmt: skip
JSONISH = st.recursive(
    HOSTILE_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)


def _loc(path: tuple[str | int, ...]) -> str:
    """The location string ConfigError uses (`channels[0].defaults.target_seconds`)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _paths(node: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every location in a config tree (mappings and lists), the root excluded."""
    out: list[tuple[str | int, ...]] = []
    if isinstance(node, dict | list):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            here = (*prefix, key)
            out.append(here)
            out.extend(_paths(child, here))
    return out


PATHS = _paths(BASE)


def _assert_clear(err: ConfigError) -> None:
    assert err.problems, "a ConfigError must list at least one problem"
    message = str(err)
    assert str(err.path) in message.splitlines()[0]
    for problem in err.problems:
        assert ":" in problem, problem  # "<where>: <what>"
        assert "Traceback" not in problem
        assert len(problem) <= 400, f"problem line too long ({len(problem)} chars)"
    assert len(err.problems) <= 51  # at most 50 listed, then "… and N more"


def _load_text(tmp_path: Path, text: str) -> ChannelsConfig | ConfigError:
    path = tmp_path / "channels.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        return load_config(path)
    except ConfigError as err:
        _assert_clear(err)
        return err


def _set(tree: Any, path: tuple[str | int, ...], value: Any) -> None:
    for part in path[:-1]:
        tree = tree[part]
    tree[path[-1]] = value


def _delete(tree: Any, path: tuple[str | int, ...]) -> None:
    for part in path[:-1]:
        tree = tree[part]
    del tree[path[-1]]


def _related(problem: str, where: str) -> bool:
    """Whether a problem's location is the mutated one, inside it, or one of its parents."""
    loc = problem.split(": ", 1)[0]
    return loc == "(top level)" or where.startswith(loc) or loc.startswith(where)


@given(doc=JSONISH)
def test_arbitrary_documents_load_or_fail_clearly(tmp_path_factory, doc: Any) -> None:
    tmp = tmp_path_factory.mktemp("doc")
    result = _load_text(tmp, yaml.safe_dump(doc, allow_unicode=True))
    assert isinstance(result, ConfigError | ChannelsConfig)


@given(text=st.text(max_size=300))
@example(text="[" * 5000 + "]" * 5000)  # PyYAML recurses per level: a RecursionError
@example(text="channels: [\n")
@example(text="a: !!python/object/apply:os.system ['true']")
@example(text="\ufeffcalendar: {start_date: 2026-11-21}\nchannels: []\n")
@example(text="calendar:\n\tstart_date: 2026-11-21\n")
def test_arbitrary_text_loads_or_fails_clearly(tmp_path_factory, text: str) -> None:
    tmp = tmp_path_factory.mktemp("text")
    result = _load_text(tmp, text)
    assert isinstance(result, ConfigError | ChannelsConfig)


@given(index=st.integers(0, len(PATHS) - 1), value=JSONISH)
def test_a_replaced_value_is_accepted_or_named(index: int, value: Any) -> None:
    path = PATHS[index]
    data = copy.deepcopy(BASE)
    _set(data, path, value)
    try:
        config = parse_config(data, PATH)
    except ConfigError as err:
        _assert_clear(err)
        where = _loc(path)
        assert any(_related(p, where) for p in err.problems), (where, err.problems)
        return
    # Accepted: the value really is valid there, so every invariant of a config still holds.
    assert len({c.slug for c in config.channels}) == len(config.channels)
    for channel in config.channels:
        assert channel.daily_budget_usd >= 0 and math.isfinite(channel.daily_budget_usd)
        assert 0 <= channel.posting_hour <= 23
        assert "\n" not in channel.slug and "/" not in channel.slug


@given(index=st.integers(0, len(PATHS) - 1))
def test_a_removed_field_is_optional_or_named(index: int) -> None:
    path = PATHS[index]
    data = copy.deepcopy(BASE)
    _delete(data, path)
    try:
        parse_config(data, PATH)
    except ConfigError as err:
        _assert_clear(err)
        assert any(_related(p, _loc(path)) for p in err.problems), (path, err.problems)


@given(
    index=st.integers(0, len(PATHS) - 1),
    key=st.text(min_size=1, max_size=20),
    value=HOSTILE_SCALARS,
)
def test_an_unknown_key_is_refused_or_free_form(index: int, key: str, value: Any) -> None:
    parents = [p for p in [(), *PATHS] if isinstance(_get(BASE, p), dict)]
    path = parents[index % len(parents)]
    assume(key not in _get(BASE, path))
    data = copy.deepcopy(BASE)
    _get(data, path)[key] = value
    try:
        parse_config(data, PATH)
    except ConfigError as err:
        _assert_clear(err)
        assert any("unknown field" in p or _related(p, _loc(path)) for p in err.problems)
        return
    # The only mappings that accept new keys are the free-form ones.
    assert path and path[-1] in ("accounts", "remote_voices", "allowed"), path


def _get(tree: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        tree = tree[part]
    return tree


@given(
    slug=st.text(alphabet=st.sampled_from("ab_Z9./\\\x00\n -é"), min_size=0, max_size=45)
    | st.sampled_from(["con", "nul", "aux", "com1", "lpt9", "space_facts\n", "..", "a" * 41])
)
@example(slug="../evil")
@example(slug="/etc/passwd")
@example(slug="a\\b")
def test_slugs_are_safe_folder_names_or_refused(slug: str) -> None:
    data = copy.deepcopy(BASE)
    data["channels"][0]["slug"] = slug
    try:
        config = parse_config(data, PATH)
    except ConfigError as err:
        _assert_clear(err)
        assert any(p.startswith("channels[0].slug") or "duplicate" in p for p in err.problems)
        return
    got = config.channels[0].slug
    assert got == slug
    assert 2 <= len(got) <= 40 and got.isascii() and "\n" not in got
    assert all(ch.islower() or ch.isdigit() or ch == "_" for ch in got)
    assert got.lower() not in {"con", "nul", "aux", "prn"} and not got.startswith(("com", "lpt"))


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda c: c["channels"][0].update(daily_budget_usd=-5), "channels[0].daily_budget_usd"),
        (lambda c: c["channels"][0].update(daily_budget_usd=math.inf),
         "channels[0].daily_budget_usd"),
        (lambda c: c["channels"][0].update(daily_budget_usd=math.nan),
         "channels[0].daily_budget_usd"),
        (lambda c: c["budget"].update(daily_usd=-1), "budget.daily_usd"),
        (lambda c: c["channels"][0].update(posting_hour=10**40), "channels[0].posting_hour"),
        (lambda c: c["channels"][0].update(episodes_per_day=True), "channels[0].episodes_per_day"),
        (lambda c: c["channels"][0]["defaults"].update(target_seconds=9e99),
         "channels[0].defaults.target_seconds"),
        (lambda c: c["calendar"].update(start_date="2026-02-30"), "calendar.start_date"),
        (lambda c: c["calendar"].update(start_date=12345), "calendar.start_date"),
        (lambda c: c["calendar"].update(timezone="Europe/Paris"), "calendar.timezone"),
        (lambda c: c.pop("calendar"), "calendar"),
        (lambda c: c.update(channels=[]), "channels"),
        (lambda c: c["channels"].append(copy.deepcopy(c["channels"][0])), "channels"),
        (lambda c: c["channels"][0].update(slug="space_facts\n"), "channels[0].slug"),
    ],
)  # fmt: skip
def test_known_hostile_values_are_named(mutate, where: str) -> None:
    data = copy.deepcopy(BASE)
    mutate(data)
    with pytest.raises(ConfigError) as err:
        parse_config(data, PATH)
    _assert_clear(err.value)
    assert any(p.startswith(where) for p in err.value.problems), err.value.problems


def test_the_calendar_accepts_real_dates_only() -> None:
    data = copy.deepcopy(BASE)
    data["calendar"]["start_date"] = dt.date(2030, 1, 31)
    assert parse_config(data, PATH).calendar.start_date == dt.date(2030, 1, 31)


def test_alias_bombs_and_huge_files_fail_fast(tmp_path: Path) -> None:
    # "Billion laughs": nine levels of nine aliases is 387 M strings once expanded.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    lines += ["calendar: {start_date: 2026-11-21}", "channels: *a8"]
    result = _load_text(tmp_path, "\n".join(lines) + "\n")
    assert isinstance(result, ConfigError)
    assert "too large" in str(result)
    big = _load_text(tmp_path, "calendar: {start_date: 2026-11-21}\n# " + "x" * 3_000_000 + "\n")
    assert isinstance(big, ConfigError) and "too large" in str(big)


def test_many_problems_are_capped_in_the_message() -> None:
    data = copy.deepcopy(BASE)
    data["channels"] = [{"slug": f"BAD {i}"} for i in range(200)]
    with pytest.raises(ConfigError) as err:
        parse_config(data, PATH)
    _assert_clear(err.value)
    assert err.value.problems[-1].startswith("(top level): ") and "more" in err.value.problems[-1]


BROKEN_FILES = [
    "[" * 5000 + "]" * 5000,
    "calendar: {start_date: 2026-11-21}\nchannels:\n  - slug: ../evil\n",
    "calendar: [\n",
    "\x00\x01\x02",
]


def _assert_cli_message(stderr: str, path: Path) -> None:
    assert "Traceback" not in stderr
    first, *rest = stderr.splitlines()
    assert first.startswith("error: invalid channels config ") and str(path) in first
    # One headline, then one indented line per problem (never a wall of YAML internals).
    assert rest and all(line.startswith("  - ") for line in rest), stderr


@pytest.mark.parametrize("text", BROKEN_FILES)
def test_check_config_exits_non_zero_with_a_clear_message(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "channels.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["check-config", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    _assert_cli_message(err, path)


def test_check_config_command_prints_no_traceback(tmp_path: Path) -> None:
    # The installed entry point, once (a process costs seconds): exit status and stderr.
    path = tmp_path / "channels.yaml"
    path.write_text(BROKEN_FILES[0], encoding="utf-8")
    env = {**os.environ, "REELFORGE_HOME": str(tmp_path / "home")}
    proc = subprocess.run(
        [REELFORGE, "check-config", str(path)], capture_output=True, text=True, env=env,
        check=False, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    _assert_cli_message(proc.stderr, path)
    assert not (tmp_path / "home").exists()
