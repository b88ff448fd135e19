"""Checks that span the whole scenario: references between ids, duplicates, orderings.

They run on the raw document (plain dicts and lists), defensively, so that they can report every
problem with its location even when other parts of the file fail type validation. The same
function backs `Scenario`'s own validator, so a scenario built in Python is held to the same rules.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Loc = tuple[str | int, ...]

RESERVED_IDS = frozenset(
    {"facilitator", "observer", "control", "plenary", "public", "private", "group", "all", "everyone", "system"}
)
"""Words an actor id may not be, in any case: the seats of the roles (`facilitator`, `observer`), the
names the client shows for them (`control`, `plenary`), the message channels (`public`, `private`,
`group`) and words a reader takes for a broadcast (`all`, `everyone`, `system`). An actor id is a
seat in the game: an actor named `facilitator` would seat a student as the facilitator, and one
named `observer` would send its private messages to the plenary screen."""
CONCLUDED_IN_PLAY = re.compile(r"ag-p-[0-9a-f]{12}$")
"""Ids the engine gives agreements concluded during the game (`ag-` and the proposal's id, which is
a hash of the game's seed: such an id can only be copied from a game already played)."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a scenario, located by its path in the document."""

    loc: Loc
    message: str
    hint: str | None = None
    at_key: bool = False
    """Point at the key of `loc` rather than its value (for unknown or duplicate keys)."""


def closest(word: str, candidates: list[str], label: str = "known") -> str | None:
    """A 'did you mean' hint for `word` among `candidates`, or a short list of what is allowed."""
    candidates = sorted(set(candidates))
    if not candidates:
        return None
    match = difflib.get_close_matches(word, candidates, n=3, cutoff=0.6)
    if not match:
        lowered = {c.lower(): c for c in candidates}
        match = [lowered[m] for m in difflib.get_close_matches(word.lower(), list(lowered), n=3, cutoff=0.5)]
    if match:
        return "did you mean " + " or ".join(f"'{m}'" for m in match) + "?"
    shown = ", ".join(candidates[:12])
    more = ", ..." if len(candidates) > 12 else ""
    return f"{label}: {shown}{more}"


def _items(doc: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    seq = doc.get(key) if isinstance(doc, dict) else None
    if isinstance(seq, list):
        for i, item in enumerate(seq):
            if isinstance(item, dict):
                yield i, item


def _ids(doc: Any, key: str, field: str = "id") -> list[str]:
    return [item[field] for _, item in _items(doc, key) if isinstance(item.get(field), str)]


class _Checker:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.actor_ids = _ids(doc, "actors")
        self.issue_ids = _ids(doc, "issues")
        self.agreement_ids = _ids(doc, "agreements")
        meta = doc.get("meta")
        self.source_keys = _ids(meta, "sources", "key") if isinstance(meta, dict) else []
        self.playable = [
            a["id"] for _, a in _items(doc, "actors") if a.get("playable") is True and isinstance(a.get("id"), str)
        ]

    def add(self, loc: Loc, message: str, hint: str | None = None, at_key: bool = False) -> None:
        self.problems.append(Problem(loc, message, hint, at_key))

    def ref(self, loc: Loc, value: Any, known: list[str], what: str) -> None:
        """Report `value` at `loc` if it is a string that names no known `what`."""
        if isinstance(value, str) and value not in known:
            where = {"source": "meta.sources (key:)", "actor": "actors", "issue": "issues"}.get(what, f"{what}s")
            hint = closest(value, known) or f"none is defined yet: add it to {where}"
            self.add(loc, f"unknown {what} '{value}'", hint)

    def refs(self, loc: Loc, values: Any, known: list[str], what: str) -> None:
        if isinstance(values, list):
            for i, v in enumerate(values):
                self.ref((*loc, i), v, known, what)

    def unique(self, key: str, field: str = "id", parent: Loc = (), what: str = "id") -> None:
        container: Any = self.doc
        for part in parent:
            container = container.get(part) if isinstance(container, dict) else None
        first: dict[str, int] = {}
        for i, item in _items(container, key):
            value = item.get(field)
            if not isinstance(value, str):
                continue
            if value in first:
                self.add(
                    (*parent, key, i, field),
                    f"duplicate {what} '{value}' (already used by {key}[{first[value]}])",
                    f"give each entry of {key} its own {field}",
                )
            else:
                first[value] = i

    # -- the checks ------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        self.unique("actors", what="actor id")
        self.unique("agreements", what="agreement id")
        self.unique("issues", what="issue id")
        self.unique("injects", what="inject id")
        self.unique("sources", "key", ("meta",), what="source key")
        self.check_actors()
        self.check_intent()
        self.check_agreements()
        self.check_issues()
        self.check_injects()
        self.check_seating()
        self.check_council()
        self.check_trade()
        if self.doc.get("world_system") is True:
            self.add(
                ("world_system",),
                "world_system: true is not supported: power shares are always shares of the scenario's actors",
                "remove it; to keep a middle power from looking like a superpower, add the great powers as "
                "actors that are not playable",
            )
        return self.problems

    def check_actors(self) -> None:
        objective_ids: dict[str, Loc] = {}
        if self.actor_ids and not self.playable:
            self.add(("actors",), "no actor is playable", "set `playable: true` on the actors teams will play")
        for i, actor in _items(self.doc, "actors"):
            aid = actor.get("id")
            loc: Loc = ("actors", i)
            self.not_reserved((*loc, "id"), aid)
            if actor.get("kind", "state") == "state" and "capabilities" in actor and actor["capabilities"] is None:
                self.add((*loc, "capabilities"), "a state needs capabilities", "give the six COW components and GDP")
            if actor.get("kind", "state") == "state" and "capabilities" not in actor:
                self.add(
                    loc, f"state '{aid}' has no capabilities", "add `capabilities:` with the six COW components and GDP"
                )
            self.percent_of_gdp((*loc, "defence_spending"), actor.get("defence_spending"))
            caps = actor.get("capabilities")
            if isinstance(caps, dict):
                for comp, fig in caps.items():
                    if isinstance(fig, dict):
                        self.ref((*loc, "capabilities", comp, "source"), fig.get("source"), self.source_keys, "source")
            objectives = actor.get("objectives")
            if actor.get("playable") is True and not objectives:
                self.add(
                    loc,
                    f"playable actor '{aid}' has no objectives",
                    "a team needs at least one objective to play for; add `objectives:`",
                )
            dom = actor.get("domestic")
            if isinstance(dom, dict) and isinstance(dom.get("win_sets"), dict):
                for issue, ws in dom["win_sets"].items():
                    wloc: Loc = (*loc, "domestic", "win_sets", issue)
                    if issue not in self.issue_ids:
                        self.add(wloc, f"unknown issue '{issue}'", closest(issue, self.issue_ids), at_key=True)
                    self.ordered(wloc, ws, "win-set")
            for j, dep in _items(actor, "forces_abroad"):
                dloc: Loc = (*loc, "forces_abroad", j, "host")
                self.ref(dloc, dep.get("host"), self.actor_ids, "actor")
                if dep.get("host") == aid:
                    self.add(dloc, f"'{aid}' cannot deploy forces abroad to itself")
            for j, obj in _items(actor, "objectives"):
                oloc: Loc = (*loc, "objectives", j)
                oid = obj.get("id")
                if isinstance(oid, str):
                    if oid in objective_ids:
                        self.add(
                            (*oloc, "id"),
                            f"duplicate objective id '{oid}'",
                            "objective ids must be unique across the scenario",
                        )
                    objective_ids[oid] = oloc
                for field in ("with", "from"):
                    if field in obj:
                        self.ref((*oloc, field), obj[field], self.actor_ids, "actor")
                        if obj[field] == aid:
                            self.add((*oloc, field), f"an objective of '{aid}' cannot name '{aid}' itself")
                if "issue" in obj:
                    self.ref((*oloc, "issue"), obj["issue"], self.issue_ids, "issue")
                self.percent_of_gdp((*oloc, "percent_gdp"), obj.get("percent_gdp"))
                if obj.get("kind") == "issue_outcome":
                    self.ordered(oloc, obj, "range")

    def not_reserved(self, loc: Loc, aid: Any) -> None:
        """An actor id that is a role's seat or a protocol word (`RESERVED_IDS`) is refused."""
        if isinstance(aid, str) and aid.lower() in RESERVED_IDS:
            self.add(
                loc,
                f"'{aid}' is a reserved word and cannot be an actor id",
                f"rename the actor (for example '{aid.upper()[:3]}-STATE') and every reference to it; "
                "reserved: " + ", ".join(sorted(RESERVED_IDS)),
            )

    def percent_of_gdp(self, loc: Loc, value: Any) -> None:
        """A share of GDP written as a fraction (0.02 for 2 %): no defence budget is under 0.1 % of GDP
        (an actor without one has 0)."""
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 0.1:
            field = loc[-1]
            hint = f"write {value * 100:g} for {value * 100:g} %"
            if field == "defence_spending":
                hint += " (0 for an actor with no budget of its own)"
            self.add(loc, f"{field} is a percentage of GDP: {value:g} would be {value:g} % of GDP", hint)

    def ordered(self, loc: Loc, rng: Any, what: str) -> None:
        if not isinstance(rng, dict):
            return
        low, high = rng.get("low"), rng.get("high")
        if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            self.add((*loc, "low"), f"{what} bounds in the wrong order: low {low} > high {high}", "swap low and high")

    def check_intent(self) -> None:
        seen: dict[tuple[str, str], int] = {}
        for i, entry in _items(self.doc, "intent"):
            self.ref(("intent", i, "of"), entry.get("of"), self.actor_ids, "actor")
            self.ref(("intent", i, "toward"), entry.get("toward"), self.actor_ids, "actor")
            of, toward = entry.get("of"), entry.get("toward")
            if isinstance(of, str) and isinstance(toward, str):
                if of == toward:
                    self.add(("intent", i, "toward"), f"'{of}' cannot perceive intent toward itself")
                if (of, toward) in seen:
                    self.add(
                        ("intent", i),
                        f"intent of '{of}' toward '{toward}' is given twice (first at intent[{seen[(of, toward)]}])",
                        "keep one entry per pair",
                    )
                seen.setdefault((of, toward), i)

    def check_agreements(self) -> None:
        for i, ag in _items(self.doc, "agreements"):
            loc: Loc = ("agreements", i)
            self.refs((*loc, "parties"), ag.get("parties"), self.actor_ids, "actor")
            parties = ag.get("parties")
            named = [p for p in parties if isinstance(p, str)] if isinstance(parties, list) else []
            once: set[str] = set()
            for j, p in enumerate(named):
                if p in once:
                    self.add((*loc, "parties", j), f"'{p}' is listed twice among the parties")
                once.add(p)
            guarantors = ag.get("guarantors")
            if isinstance(guarantors, list):
                for j, g in enumerate(guarantors):
                    if isinstance(g, str) and g not in named:
                        self.add(
                            (*loc, "guarantors", j),
                            f"guarantor '{g}' is not a party to agreement '{ag.get('id')}'",
                            "add it to parties, or remove it from guarantors",
                        )
            for j, ob in _items(ag, "obligations"):
                oloc: Loc = (*loc, "obligations", j)
                self.refs((*oloc, "attackers"), ob.get("attackers"), self.actor_ids, "actor")
                self.refs((*oloc, "region"), ob.get("region"), self.actor_ids, "actor")
                listed = ob.get("attackers")
                attackers: list[Any] = listed if isinstance(listed, list) else []
                if ob.get("trigger") == "named_attacker" and not attackers:
                    self.add(
                        (*oloc, "trigger"),
                        "a named_attacker trigger needs the attackers it names",
                        "list them under attackers, e.g. attackers: [RUS]",
                    )
                for k, a in enumerate(attackers):
                    if a in named:
                        self.add(
                            (*oloc, "attackers", k),
                            f"'{a}' is a party: a clause cannot be invoked against a party",
                            "name a state outside the agreement",
                        )
                if ob.get("scope") == "region" and not ob.get("region"):
                    self.add(
                        (*oloc, "scope"),
                        "a clause limited to a region needs the territories it covers",
                        "list them under region, e.g. region: [EST, LVA, LTU]",
                    )
                self.check_clause_fields(oloc, ob)
            self.check_clauses_apply(loc, ag)
            terms = ag.get("terms")
            if isinstance(terms, dict):
                self.ref((*loc, "terms", "host"), terms.get("host"), self.actor_ids, "actor")
                host = terms.get("host")
                if isinstance(host, str) and host in self.actor_ids and named and host not in named:
                    self.add(
                        (*loc, "terms", "host"),
                        f"the host '{host}' is not a party to the agreement",
                        "the host of the bases or exercises is one of the parties: add it to parties",
                    )
                self.ref((*loc, "terms", "issue"), terms.get("issue"), self.issue_ids, "issue")
                has_issue, has_position = terms.get("issue") is not None, terms.get("position") is not None
                if has_issue != has_position:
                    given, lacking = ("issue", "position") if has_issue else ("position", "issue")
                    self.add(
                        (*loc, "terms", given),
                        f"terms give a deal's {given} but not its {lacking}: the deal is on no issue",
                        "give both issue and position (where the deal stands on that issue), or neither",
                    )
                self.check_statecraft_terms((*loc, "terms"), terms, named)
            if "source" in ag:
                self.ref((*loc, "source"), ag["source"], self.source_keys, "source")

    def check_clause_fields(self, loc: Loc, ob: dict[str, Any]) -> None:
        """Fields of a clause that the engine would ignore are refused: the author meant something by them."""
        from crisisgame.engine.obligations import CALLABLE

        kind = ob.get("kind")
        if isinstance(kind, str) and kind not in CALLABLE:
            for field in ("trigger", "attackers", "min_rung"):
                if ob.get(field):
                    self.add(
                        (*loc, field),
                        f"{field} applies only to a clause that can be called on "
                        f"(defence, offence or extended_deterrence), not to {kind}",
                        f"remove {field}, or make the clause one of those kinds",
                    )
            return
        if ob.get("attackers") and ob.get("trigger") != "named_attacker":
            self.add(
                (*loc, "attackers"),
                "attackers count only with trigger: named_attacker; without it the clause answers any attacker",
                "add `trigger: named_attacker`, or remove attackers",
            )
        if ob.get("region") and ob.get("scope", "territory") != "region":
            self.add(
                (*loc, "region"),
                "region counts only with scope: region; without it the clause covers every party's territory",
                "add `scope: region`, or remove region",
            )

    def check_clauses_apply(self, loc: Loc, ag: dict[str, Any]) -> None:
        """Every clause that can be called on must be one some party could ever invoke."""
        from crisisgame.engine.agreement_checks import clause_problem
        from crisisgame.scenario.model import Agreement

        try:
            agreement = Agreement.model_validate(ag)
        except ValueError:
            return  # the agreement's own errors are reported where they are written
        if len(set(agreement.parties)) < len(agreement.parties):
            return  # parties listed twice are reported at the parties
        for j, ob in enumerate(agreement.obligations):
            if isinstance(ob, str):
                continue  # a bare kind on a party's territory: any party can invoke it
            if (ob.trigger == "named_attacker" and not ob.attackers) or (ob.scope == "region" and not ob.region):
                continue  # reported above, at the trigger or the scope
            if any(a in agreement.parties for a in ob.attackers):
                continue  # reported above, at the attacker
            why = clause_problem(ob, agreement.parties)
            if why is not None:
                self.add(
                    (*loc, "obligations", j),
                    f"this clause could never be invoked by any party: {why}",
                    "only a party can call on a clause, for an attack on its own territory: list a party under "
                    "region, or remove scope: region",
                )

    def check_statecraft_terms(self, loc: Loc, terms: dict[str, Any], parties: list[str]) -> None:
        """Sanctions terms name an outsider and commit parties; aid terms pass between two parties."""
        for j, term in _items(terms, "sanctions"):
            tloc: Loc = (*loc, "sanctions", j)
            target = term.get("target")
            if isinstance(target, str) and target not in self.actor_ids:
                self.add((*tloc, "target"), f"unknown target '{target}'", closest(target, self.actor_ids))
            elif isinstance(target, str) and target in parties:
                self.add(
                    (*tloc, "target"),
                    f"the target '{target}' is a party: a sanctions term commits parties against an outsider",
                    "name a state outside the agreement",
                )
            by = term.get("by")
            if isinstance(by, list):
                for k, who in enumerate(by):
                    if isinstance(who, str) and who not in parties:
                        self.add(
                            (*tloc, "by", k),
                            f"'{who}' is not a party and cannot be committed to sanction",
                            closest(who, parties) or "add it to parties, or remove it from by",
                        )
        for j, aid in _items(terms, "aid"):
            aloc: Loc = (*loc, "aid", j)
            for field, role in (("donor", "donor"), ("to", "recipient")):
                who = aid.get(field)
                if isinstance(who, str) and who not in parties:
                    self.add(
                        (*aloc, field),
                        f"the {role} '{who}' is not a party to the agreement",
                        closest(who, parties) or "aid terms pass between parties: add it to parties",
                    )
            if isinstance(aid.get("donor"), str) and aid.get("donor") == aid.get("to"):
                self.add((*aloc, "to"), f"'{aid.get('to')}' cannot give aid to itself", "name another party")

    def check_issues(self) -> None:
        for i, issue in _items(self.doc, "issues"):
            positions = issue.get("positions")
            if isinstance(positions, dict):
                for actor in positions:
                    if actor not in self.actor_ids:
                        self.add(
                            ("issues", i, "positions", actor),
                            f"unknown actor '{actor}'",
                            closest(actor, self.actor_ids),
                            at_key=True,
                        )

    def check_injects(self) -> None:
        turns = self.doc.get("turns")
        count = turns.get("count") if isinstance(turns, dict) else None
        for i, inj in _items(self.doc, "injects"):
            loc: Loc = ("injects", i)
            turn = inj.get("turn")
            if isinstance(count, int) and isinstance(turn, int) and not isinstance(turn, bool) and turn > count:
                self.add(
                    (*loc, "turn"),
                    f"inject '{inj.get('id')}' is set for turn {turn}, after the last turn ({count})",
                    f"use a turn from 1 to {count}, or raise turns.count",
                )
            if isinstance(inj.get("audience"), list):
                self.refs((*loc, "audience"), inj["audience"], self.actor_ids, "actor")
            for j, eff in _items(inj, "effects"):
                eloc: Loc = (*loc, "effects", j)
                if eff.get("kind") == "call":
                    self.check_call(eloc, eff)
                if eff.get("kind") == "escalate" and eff.get("level") == "nuclear_use":
                    self.check_arsenal(eloc, eff.get("actor"))
                if isinstance(eff.get("actor"), str) and eff.get("target") == eff.get("actor"):
                    if eff.get("kind") == "escalate":
                        self.add((*eloc, "target"), f"'{eff['actor']}' cannot escalate against itself", "name another")
                    elif eff.get("kind") == "demand":
                        self.add((*eloc, "target"), f"'{eff['actor']}' cannot make a demand of itself", "name another")
                for field in ("actor", "toward", "target"):
                    if field in eff:
                        self.ref((*eloc, field), eff[field], self.actor_ids, "actor")
                if "of" in eff:
                    self.refs((*eloc, "of"), eff["of"], self.actor_ids, "actor")
                if "issue" in eff:
                    self.ref((*eloc, "issue"), eff["issue"], self.issue_ids, "issue")
            cond = inj.get("condition")
            self.check_condition((*loc, "condition"), cond)
            if isinstance(cond, dict) and isinstance(cond.get("at_war"), list):
                self.refs((*loc, "condition", "at_war"), cond["at_war"], self.actor_ids, "actor")
                if len(cond["at_war"]) != 2:
                    self.add((*loc, "condition", "at_war"), "at_war names exactly two actors")
                elif cond["at_war"][0] == cond["at_war"][1]:
                    self.add(
                        (*loc, "condition", "at_war"),
                        "at_war names the same actor twice: this inject could never fire",
                        "name the two actors whose war the inject waits for",
                    )

    def check_condition(self, loc: Loc, cond: Any) -> None:
        """An inject's condition may only name agreements that can exist: a misspelt id never fires."""
        if not isinstance(cond, dict):
            return
        named = cond.get("agreement_exists")
        if isinstance(named, str) and named not in self.agreement_ids and not CONCLUDED_IN_PLAY.match(named):
            self.add(
                (*loc, "agreement_exists"),
                f"unknown agreement '{named}': this inject could never fire",
                closest(named, self.agreement_ids, "agreements of this scenario")
                or "name an agreement listed under agreements:",
            )
        low, high = cond.get("tension_above"), cond.get("tension_below")
        if isinstance(low, int | float) and isinstance(high, int | float) and low >= high:
            self.add(
                (*loc, "tension_above"),
                f"tension must be above {low} and below {high} at once: this inject could never fire",
                "lower tension_above or raise tension_below",
            )

    def check_arsenal(self, loc: Loc, actor: Any) -> None:
        """Nuclear use is scripted only for an actor the scenario gives warheads."""
        for _, a in _items(self.doc, "actors"):
            if a.get("id") != actor:
                continue
            nuclear = a.get("nuclear")
            warheads = nuclear.get("warheads") if isinstance(nuclear, dict) else None
            if not isinstance(warheads, int) or warheads <= 0:
                self.add(
                    (*loc, "level"),
                    f"'{actor}' has no nuclear weapons in this scenario: it cannot escalate to nuclear_use",
                    f"give '{actor}' a nuclear arsenal (actors[].nuclear.warheads) or choose a lower rung",
                )

    def check_call(self, loc: Loc, eff: dict[str, Any]) -> None:
        """A scripted call must name an agreement with a clause that could apply to this caller and attacker."""
        from crisisgame.engine.obligations import can_ever_apply, clauses
        from crisisgame.scenario.model import Agreement

        self.ref((*loc, "against"), eff.get("against"), self.actor_ids, "actor")
        agreements = {str(a.get("id")): a for _, a in _items(self.doc, "agreements")}
        ag_id = eff.get("agreement")
        if not isinstance(ag_id, str):
            return
        if ag_id not in agreements:
            self.add((*loc, "agreement"), f"unknown agreement '{ag_id}'", closest(ag_id, list(agreements)))
            return
        try:
            agreement = Agreement.model_validate(agreements[ag_id])
        except ValueError:
            return  # the agreement's own errors are reported where it is written
        caller, against = eff.get("actor"), eff.get("against")
        if not isinstance(caller, str) or not isinstance(against, str):
            return
        parties = frozenset(agreement.parties)
        reasons = [can_ever_apply(c, parties, caller, against) for c in clauses(agreement.type, agreement.obligations)]
        if reasons and all(r is not None for r in reasons):
            hint = (
                f"no agreement can be called against one of its own parties (an ally attacking an ally): call on an "
                f"agreement to which '{against}' is not a party"
                if against in parties
                else "call on an agreement with a defence, offence or extended deterrence clause that covers the "
                "caller, or add such a clause to its obligations"
            )
            self.add(
                (*loc, "agreement"),
                f"no clause of '{ag_id}' can apply to a call by {caller} against {against}: "
                + "; ".join(dict.fromkeys(r or "" for r in reasons)),
                hint,
            )

    def check_trade(self) -> None:
        pairs: dict[frozenset[str], int] = {}
        for i, link in _items(self.doc, "trade"):
            loc: Loc = ("trade", i)
            self.refs((*loc, "between"), link.get("between"), self.actor_ids, "actor")
            named = link.get("between")
            between: list[Any] = named if isinstance(named, list) else []
            if len(between) == 2 and all(isinstance(b, str) for b in between):
                if between[0] == between[1]:
                    self.add(
                        (*loc, "between", 1),
                        f"a trade link is between two different actors, not '{between[0]}' and itself",
                        "name the other actor",
                    )
                    continue
                pair = frozenset(between)
                if pair in pairs:
                    self.add(
                        (*loc, "between"),
                        f"the trade between '{between[0]}' and '{between[1]}' is given twice "
                        f"(first at trade[{pairs[pair]}])",
                        "keep one link per pair, with both actors' dependence in it",
                    )
                pairs.setdefault(pair, i)
            dep = link.get("dependence")
            if isinstance(dep, dict) and len(between) == 2:
                for who in between:
                    if isinstance(who, str) and who not in dep:
                        self.add(
                            (*loc, "dependence"),
                            f"no dependence given for '{who}': its side of the trade would count as nothing",
                            f"add {who}: its trade with the other as a share of its own GDP",
                        )
                for who in dep:
                    if who not in between:
                        self.add(
                            (*loc, "dependence", who),
                            f"'{who}' is not one of the two actors this link is between",
                            "give the dependence of each actor named under between",
                            at_key=True,
                        )
            if "source" in link:
                self.ref((*loc, "source"), link["source"], self.source_keys, "source")

    def check_council(self) -> None:
        council = self.doc.get("council")
        if not isinstance(council, dict):
            return
        for field in ("members", "permanent", "regional_bodies"):
            listed = council.get(field)
            for j, who in enumerate(listed if isinstance(listed, list) else []):
                if isinstance(who, str) and who not in self.actor_ids:
                    guess = closest(who, self.actor_ids) or ""
                    hint = guess if guess.startswith("did you mean") else "leave out members that are not actors"
                    self.add(("council", field, j), f"unknown actor '{who}'", hint)
            self.once(("council", field), council.get(field))
        kinds = {a["id"]: a.get("kind", "state") for _, a in _items(self.doc, "actors") if isinstance(a.get("id"), str)}
        bodies = council.get("regional_bodies")
        if isinstance(bodies, list):
            for j, body in enumerate(bodies):
                if isinstance(body, str) and kinds.get(body, "organisation") != "organisation":
                    self.add(
                        ("council", "regional_bodies", j),
                        f"'{body}' is a {str(kinds[body]).replace('_', '-')} actor, not an organisation: its "
                        "participation would give every agreement it joins a regional mandate",
                        "list only organisations (kind: organisation), such as the African Union",
                    )
        seated = council.get("members")
        members: list[Any] = seated if isinstance(seated, list) else []
        permanent = council.get("permanent")
        if isinstance(permanent, list):
            for j, p in enumerate(permanent):
                if isinstance(p, str) and p in self.actor_ids and p not in members:
                    self.add(
                        ("council", "permanent", j),
                        f"permanent member '{p}' has no seat in council.members",
                        "add it to members",
                    )
        if "source" in council:
            self.ref(("council", "source"), council["source"], self.source_keys, "source")

    def once(self, loc: Loc, values: Any) -> None:
        """Each id in a list of actors at most once."""
        if not isinstance(values, list):
            return
        seen: set[str] = set()
        for j, v in enumerate(values):
            if isinstance(v, str) and v in seen:
                self.add((*loc, j), f"'{v}' is listed twice in {'.'.join(map(str, loc))}", "list each actor once")
            elif isinstance(v, str):
                seen.add(v)

    def check_seating(self) -> None:
        seating = self.doc.get("seating")
        if not isinstance(seating, dict):
            return
        priority = seating.get("priority")
        self.once(("seating", "priority"), priority)
        if isinstance(priority, list):
            for j, aid in enumerate(priority):
                if not isinstance(aid, str):
                    continue
                if aid not in self.actor_ids:
                    self.add(("seating", "priority", j), f"unknown actor '{aid}'", closest(aid, self.playable))
                elif aid not in self.playable:
                    self.add(("seating", "priority", j), f"actor '{aid}' is not playable", "list only playable actors")
        minimum = seating.get("minimum")
        if isinstance(minimum, int) and self.playable and minimum > len(self.playable):
            self.add(
                ("seating", "minimum"),
                f"minimum of {minimum} teams, but only {len(self.playable)} actors are playable",
                "lower seating.minimum or make more actors playable",
            )


def reference_problems(doc: dict[str, Any]) -> list[Problem]:
    """Every cross-reference, duplicate and ordering problem in a raw scenario document."""
    if not isinstance(doc, dict):
        return []
    return _Checker(doc).run()
