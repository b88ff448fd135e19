"""`state`: the initial state built from a scenario, and `Log`, the shared append-only history."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisgame.engine.state import Log, dyad, initial_state, pair
from tests.engine.support import check_invariants, minimal, trio


def test_a_log_append_leaves_the_original_unchanged() -> None:
    base = Log([1, 2])
    longer = base.append(3)
    assert list(base) == [1, 2]
    assert list(longer) == [1, 2, 3]
    assert len(base) == 2
    assert len(longer) == 3


def test_two_branches_of_a_log_do_not_see_each_others_items() -> None:
    base = Log([1])
    left = base.append(2).append(3)
    right = base.append(20)
    assert list(left) == [1, 2, 3]
    assert list(right) == [1, 20]
    assert list(left.append(4)) == [1, 2, 3, 4]
    assert list(right.append(30)) == [1, 20, 30]
    assert list(base) == [1]


def test_a_log_indexes_like_a_list_of_its_own_items() -> None:
    base = Log(["a", "b"])
    base.append("c")  # a branch: the shared list grows, base does not
    assert (base[0], base[-1], base[1]) == ("a", "b", "b")
    with pytest.raises(IndexError):
        base[2]
    with pytest.raises(IndexError):
        base[-3]
    assert base == Log(["a", "b"])
    assert hash(base) == hash(Log(["a", "b"]))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers()), max_size=40))
def test_any_tree_of_appends_behaves_like_copied_lists(steps: list[tuple[int, int]]) -> None:
    logs: list[Log[int]] = [Log()]
    lists: list[list[int]] = [[]]
    for parent, item in steps:
        k = parent % len(logs)
        logs.append(logs[k].append(item))
        lists.append([*lists[k], item])
    for log, expected in zip(logs, lists, strict=True):
        assert list(log) == expected
        assert len(log) == len(expected)


def test_pairs_are_directed_and_dyads_are_not() -> None:
    assert pair("A", "B") == "A>B" != pair("B", "A")
    assert dyad("B", "A") == dyad("A", "B") == "A|B"


def test_the_initial_state_reads_capabilities_in_cow_units_and_priors_of_intent() -> None:
    s = initial_state(trio(), seed=1)
    alpha = s.actors["ALPHA"]
    assert alpha.milex == 10e6  # US$ 10 bn in thousands of US$
    assert alpha.milper == 120.0  # thousands
    assert alpha.pec is None  # not reported, and so left out of CINC
    assert s.actors["UNION"].milex is None
    assert s.actors["UNION"].cinc == 0.0
    assert 0 < alpha.cinc < s.actors["BETA"].cinc < s.actors["GAMMA"].cinc < 1
    assert s.intent[pair("ALPHA", "BETA")] == 0.6
    assert s.intent[pair("GAMMA", "ALPHA")] == 0.2  # default_intent
    assert s.intent_prior == s.intent
    assert s.troops == {"GAMMA>ALPHA": 1000}
    assert s.teams == {"ALPHA", "BETA", "GAMMA"}  # the playable actors, unless told otherwise
    assert s.bots() == ["UNION"]
    assert s.allies_of("ALPHA") == {"GAMMA"}
    assert s.allies_of("GAMMA") == set()
    assert (s.phase, s.turn, s.seq) == ("lobby", 0, 0)
    check_invariants(s)


def test_the_initial_state_of_the_minimal_scenario_is_valid() -> None:
    s = initial_state(minimal(), seed=0, teams=frozenset({"ALPHA"}))
    assert s.bots() == ["BETA"]
    assert s.agreements["guarantee"].obliged() == ("BETA",)
    assert s.agreements["guarantee"].protects("ALPHA") == ("BETA",)
    assert s.km("ALPHA", "BETA") == s.km("BETA", "ALPHA") > 0
