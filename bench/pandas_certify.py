#!/usr/bin/python3
"""`merit certify` written in pandas, for benchmarking merit against a dataframe library.

    /usr/bin/python3 bench/pandas_certify.py CASE.json > answer.json

CASE.json is a certification case file as `merit certify --case` reads it (see the README's "Case
files"): {"register": {"class", "pay_grade"?, "candidates": [...]}, "requisitions": [...]} or
"requisition": {...}. stdout gets the JSON list of Certification records that
`merit certify --case CASE.json --format json` prints (equal as parsed JSON); stderr gets two timings:

    pandas: read      12.345 ms   reading and parsing the file, building the DataFrame
    pandas: compute   45.678 ms   certifying the whole batch (not writing the answer)

The semantics are those of rules/chapter8/certify.merit, 2-use-of-class-registers.merit and
5-affirmative-action.merit, with the parameters those rules have today (none of them is dated). A case
the rules' `require`s refuse gets merit's message on stderr and exit status 1; a case this script does
not handle (a decision case file, a CSV register) exits 2. Input validation is lighter than merit's:
data merit refuses for a wrong type may go unnoticed here.

Needs pandas (Debian: apt-get install python3-pandas, then run with /usr/bin/python3).
"""

import datetime
import json
import sys
import time

import numpy as np
import pandas as pd

# The rules' parameters (2.B.1, 2.F, 2.I); none has a dated amendment.
COMPLEMENT_SIZE = 6
COMPLETE_MINIMUM = 3
CONCURRENT_REFERRAL_LIMIT = 3
SELECTION_PERIOD = datetime.timedelta(days=21)
INCOMPLETE_OPTIONS = ["select_from_these", "alternative_method", "hold_requisition", "other_registers"]

METHODS = ("standard", "agency_promotional", "statewide_promotional", "open_competitive")
APPOINTMENTS = ("permanent", "acting")
SERVICES = ("classified", "unclassified", "project")
AFFIRMATIVE_CITE = {"underutilization": "5.C.1(b)", "adverse_impact": "5.C.2(b)"}

CANDIDATE_FIELDS = {
    "id", "name", "score", "agency", "service", "promotional_preference", "reemployment",
    "declined_locations", "declined_hours", "qualifications", "groups", "concurrent_referrals",
    "transfer_request", "pay_grade", "temporary_interest",
}
BOOLEAN_FIELDS = ("promotional_preference", "reemployment", "transfer_request", "temporary_interest")
LIST_FIELDS = ("declined_locations", "declined_hours", "qualifications", "groups")
REQUISITION_FIELDS = {
    "id", "agency", "received", "certified_on", "location", "hours", "method", "selective", "vacancies",
    "appointment", "extra_names", "affirmative_action", "declined", "removed",
}


class Refused(Exception):
    """The case is invalid (exit 1, as merit) or not one this script handles (exit 2)."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status


def parse_date(text, where):
    try:
        if not isinstance(text, str) or len(text) != 10:
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Refused(f"{where}: expected a date like 2026-03-01, found {json.dumps(text)}")


def whole_number(value, where):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise Refused(f"{where}: expected a whole number, found {json.dumps(value)}")
    return int(value)


def text_list(value, where):
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise Refused(f"{where}: expected a list of text")
    return value


def read_requisition(q, where):
    """A requisition with its defaults filled in and its dates parsed; a handful of dicts, so plain Python."""
    if not isinstance(q, dict):
        raise Refused(f"{where}: expected a Requisition")
    for key in q:
        if key not in REQUISITION_FIELDS:
            raise Refused(f'{where}: unknown field "{key}"')
    for key in ("id", "agency", "received", "location"):
        if key not in q:
            raise Refused(f'{where}: missing required field "{key}"')
    r = {
        "id": q["id"], "agency": q["agency"], "location": q["location"],
        "received": parse_date(q["received"], f"{where}.received"),
        "certified_on": None if q.get("certified_on") is None
        else parse_date(q["certified_on"], f"{where}.certified_on"),
        "hours": q.get("hours", "full-time"),
        "method": q.get("method", "standard"),
        "selective": text_list(q.get("selective", []), f"{where}.selective"),
        "vacancies": whole_number(q.get("vacancies", 1), f"{where}.vacancies"),
        "appointment": q.get("appointment", "permanent"),
        "extra_names": q.get("extra_names", False),
        "affirmative_action": q.get("affirmative_action"),
        "declined": text_list(q.get("declined", []), f"{where}.declined"),
        "removed": q.get("removed", {}),
    }
    for key in ("id", "agency", "location", "hours"):
        if not isinstance(r[key], str):
            raise Refused(f"{where}.{key}: expected text")
    if r["method"] not in METHODS:
        raise Refused(f"{where}.method: expected one of {', '.join(METHODS)}")
    if r["appointment"] not in APPOINTMENTS:
        raise Refused(f"{where}.appointment: expected one of {', '.join(APPOINTMENTS)}")
    if not isinstance(r["extra_names"], bool):
        raise Refused(f"{where}.extra_names: expected true or false")
    if not isinstance(r["removed"], dict) or not all(isinstance(v, str) for v in r["removed"].values()):
        raise Refused(f'{where}.removed: expected an object, like {{"C03": "reason"}}')
    action = r["affirmative_action"]
    if action is not None:
        if not isinstance(action, dict) or set(action) - {"groups", "basis", "test_validated"} \
                or "groups" not in action or "basis" not in action:
            raise Refused(f"{where}.affirmative_action: expected an AffirmativeAction")
        text_list(action["groups"], f"{where}.affirmative_action.groups")
        if action["basis"] not in AFFIRMATIVE_CITE:
            raise Refused(f"{where}.affirmative_action.basis: expected one of underutilization, adverse_impact")
        if not isinstance(action.get("test_validated", False), bool):
            raise Refused(f"{where}.affirmative_action.test_validated: expected true or false")
    return r


def numeric_column(column, key, path):
    """A number column as float64, none as NaN; a column of mixed JSON values comes as object dtype."""
    if column.dtype == object:
        if not all(type(v) in (int, float) for v in pd.unique(column.dropna())):
            raise Refused(f"{path}: register.candidates: {key}: expected a number")
        return column.astype("float64")
    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        raise Refused(f"{path}: register.candidates: {key}: expected a number")
    return column.astype("float64")


def read_case(path):
    """The register as a DataFrame (one row per candidate, defaults filled in) and the requisitions."""
    with open(path, "rb") as f:
        case = json.loads(f.read())
    if not isinstance(case, dict):
        raise Refused(f"{path}: expected a JSON object with the register and the requisitions")
    if "decision" in case:
        # merit certify refuses a decision case file too (exit 2); merit eval answers it.
        raise Refused(f"{path} is a case of the decision {case['decision']}, not a certification; "
                      f"this script answers only certify case files", status=2)
    for key in case:
        if key not in ("register", "requisitions", "requisition"):
            raise Refused(f'{path}: unknown input "{key}"')
    if "requisitions" in case and "requisition" in case:
        raise Refused(f"{path}: requisitions is given twice, as requisitions and as requisition")
    if "register" not in case or not ("requisitions" in case or "requisition" in case):
        raise Refused(f"{path}: missing input " + ("requisitions" if "register" in case else "register"))
    register = case["register"]
    if not isinstance(register, dict) or "class" not in register or "candidates" not in register \
            or set(register) - {"class", "pay_grade", "candidates"}:
        raise Refused(f"{path}: register: expected a Register (class, pay_grade, candidates)")
    register_grade = register.get("pay_grade")
    if register_grade is not None:
        register_grade = whole_number(register_grade, "register.pay_grade")
    requisitions = case["requisitions"] if "requisitions" in case else [case["requisition"]]
    if not isinstance(requisitions, list):
        raise Refused(f"{path}: requisitions: expected a list of Requisition")
    requisitions = [read_requisition(q, f"requisitions[{i}]") for i, q in enumerate(requisitions)]

    candidates = register["candidates"]
    if not isinstance(candidates, list) or not all(isinstance(c, dict) for c in candidates):
        raise Refused(f"{path}: register.candidates: expected a list of Candidate")
    df = pd.DataFrame.from_records(candidates)
    unknown = set(df.columns) - CANDIDATE_FIELDS
    if unknown:
        raise Refused(f'{path}: register.candidates: unknown field "{sorted(unknown)[0]}"')
    n = len(df)
    if not n:
        df = pd.DataFrame({"id": pd.Series([], dtype=object), "score": pd.Series([], dtype="float64")})
    for key in ("id", "score"):
        if key not in df or df[key].isna().any():
            raise Refused(f'{path}: register.candidates: missing required field "{key}"')
    df["score"] = numeric_column(df["score"], "score", path)
    for key in ("id", "name", "agency", "service"):
        given = df[key].dropna() if key in df else ()
        if len(given) and pd.api.types.infer_dtype(given) != "string":
            raise Refused(f"{path}: register.candidates: {key}: expected text")
    for key in BOOLEAN_FIELDS:
        column = df[key] if key in df else pd.Series(False, index=df.index)
        if column.dtype != bool:
            if not all(type(v) is bool for v in pd.unique(column.dropna())):
                raise Refused(f"{path}: register.candidates: {key}: expected true or false")
            column = column.fillna(False).astype(bool)
        df[key] = column
    for key in ("concurrent_referrals", "pay_grade"):
        column = numeric_column(df[key], key, path) if key in df else pd.Series(np.nan, index=df.index)
        if (column.dropna() % 1 != 0).any():
            raise Refused(f"{path}: register.candidates: {key}: expected a whole number")
        df[key] = column
    df["concurrent_referrals"] = df["concurrent_referrals"].fillna(0).astype("int64")
    df["agency"] = df["agency"] if "agency" in df else pd.Series(None, index=df.index, dtype=object)
    df["service"] = df["service"].fillna("classified") if "service" in df else "classified"
    if not df["service"].isin(SERVICES).all():
        raise Refused(f"{path}: register.candidates: service: expected one of {', '.join(SERVICES)}")
    for key in LIST_FIELDS:
        if key not in df:
            df[key] = pd.Series(np.nan, index=df.index, dtype=object)
    return df, register_grade, requisitions


class Register:
    """The candidates in score order (score descending, then id), as numpy columns for masking, with the
    derived columns no requisition changes. Sorting once is what lets each requisition's order be a
    stable sort by tier alone: within a tier the method's order is this one."""

    def __init__(self, df, register_grade):
        # The same order as df.sort_values(["score", "id"], ascending=[False, True]), which factorizes the
        # id strings first and takes about ten times as long.
        order = np.lexsort((df["id"].to_numpy(), -df["score"].to_numpy()))
        df = df.take(order).reset_index(drop=True)
        self.df = df
        self.n = len(df)
        self.row = order  # where each candidate stands in the case file, for messages
        self.id = df["id"].to_numpy()
        self.score = df["score"].to_numpy()
        # Agencies as integer codes (-1: not a state employee), so that matching a requisition's agency
        # compares integers rather than Python strings.
        self.agency, self.agency_names = pd.factorize(df["agency"])
        state = self.agency >= 0
        # 2.A.1: preference counts only for a classified state employee.
        self.preference = (state & (df["service"] == "classified").to_numpy()
                           & df["promotional_preference"].to_numpy())
        self.reemployment = df["reemployment"].to_numpy()
        self.temporary_interest = df["temporary_interest"].to_numpy()
        self.transfer = state & df["transfer_request"].to_numpy()
        pay_grade = df["pay_grade"]
        self.demote = (state & pay_grade.notna().to_numpy()
                       & (register_grade is not None) & (pay_grade > (register_grade or 0)).to_numpy())
        self.position = pd.Index(self.id)  # id -> row, for declined and removed ids
        self._exploded = {}
        self._members = {}
        self._own_agency = {}

    def members(self, field, value):
        """Whether each candidate's list field holds value: each list column is exploded once."""
        key = (field, value)
        if key not in self._members:
            if field not in self._exploded:
                # Most lists are absent (NaN): dropping them before exploding is much faster.
                self._exploded[field] = self.df[field].dropna().explode().dropna()
            exploded = self._exploded[field]
            mask = np.zeros(self.n, dtype=bool)
            mask[exploded.index[exploded.to_numpy() == value]] = True
            self._members[key] = mask
        return self._members[key]

    def own_agency(self, agency):
        """has_promotional_preference_in(c, agency), and the standard method's tiers for that agency."""
        if agency not in self._own_agency:
            code = self.agency_names.get_indexer([agency])[0]  # -1 when no candidate is with the agency
            preferred_here = self.preference & (self.agency == code)
            tier = np.select([preferred_here, self.preference, self.reemployment], [1, 2, 3], 4).astype(np.int8)
            self._own_agency[agency] = (preferred_here, tier)
        return self._own_agency[agency]

    def rows(self, ids):
        at = self.position.get_indexer(ids)
        mask = np.zeros(self.n, dtype=bool)
        mask[at] = True
        return mask


def tie_end(order, end, tier, score):
    """`take ... with ties by tier, score`: the end of the prefix order[:end] extended by every item that
    follows with the keys of its last one. Ties are contiguous, so it looks ahead in growing chunks rather
    than comparing the whole tail."""
    if end <= 0 or end >= len(order):
        return min(max(end, 0), len(order))
    last = order[end - 1]
    last_tier, last_score = tier[last], score[last]
    step = 64
    while end < len(order):
        chunk = order[end:end + step]
        same = (tier[chunk] == last_tier) & (score[chunk] == last_score)
        if not same.all():
            return end + int(np.argmin(same))
        end += len(chunk)
        step *= 2
    return end


def decimal(x):
    # merit writes a whole decimal as an integer (88, not 88.0).
    return int(x) if x.is_integer() and abs(x) < 2 ** 53 else x


def certify_one(reg, r, referrals):
    """One certification (the decision `certification`), given each candidate's referrals so far."""
    complement = COMPLEMENT_SIZE + r["vacancies"] - 1
    method = r["method"]
    preferred_here, standard_tier = reg.own_agency(r["agency"])

    available = ~reg.members("declined_locations", r["location"]) & ~reg.members("declined_hours", r["hours"])
    if r["appointment"] == "acting" and r["hours"] != "full-time":
        available &= reg.temporary_interest
    for q in r["selective"]:
        available &= reg.members("qualifications", q)

    if method == "agency_promotional":
        reached = preferred_here
    elif method == "statewide_promotional":
        reached = reg.preference
    else:
        reached = None
    passed_over = (referrals >= CONCURRENT_REFERRAL_LIMIT) & ~preferred_here
    in_method = available if reached is None else available & reached
    limit_waived = bool((in_method & passed_over).any()) and int((in_method & ~passed_over).sum()) < complement
    pool = available if limit_waived else available & ~passed_over

    order = np.flatnonzero(pool if reached is None else pool & reached)
    if method == "standard":
        tier = standard_tier
        order = order[np.argsort(tier[order], kind="stable")]
    else:
        tier = np.ones(reg.n, dtype=np.int8)

    removed = reg.rows(list(r["removed"]))
    declined = reg.rows(r["declined"])
    interested_row = lambda rows: ~declined[rows]

    # 2.B.1, 2.B.2, as if no one were removed (2.H).
    ranked_end = tie_end(order, min(complement, len(order)), tier, reg.score)
    ranked = order[:ranked_end]
    kept_at = np.flatnonzero(~removed[ranked])  # places in ranked, for the cite
    kept = ranked[kept_at]
    taken_off = len(ranked) - len(kept)

    after_ranked = order[ranked_end:]
    if r["removed"]:
        after_ranked = after_ranked[~removed[after_ranked]]
    removal_end = tie_end(after_ranked, min(taken_off, len(after_ranked)), tier, reg.score) if taken_off else 0
    removal_replacements = after_ranked[:removal_end]
    rest = after_ranked[removal_end:]

    interested_so_far = int(interested_row(kept).sum() + interested_row(removal_replacements).sum())
    replacements_end = 0
    if interested_so_far < COMPLETE_MINIMUM:
        wanted = COMPLETE_MINIMUM - interested_so_far
        # The wanted-th interested person stands within wanted + (number declined) places.
        window = rest[:wanted + len(r["declined"])]
        counted = np.cumsum(interested_row(window))
        if len(window) and counted[-1] >= wanted:
            replacements_end = tie_end(rest, int(np.searchsorted(counted, wanted)) + 1, tier, reg.score)
        else:
            replacements_end = len(window)
    replacements = rest[:replacements_end]
    not_normal = rest[replacements_end:]  # the method's order without the normal names and the removed
    normal = np.concatenate([kept, removal_replacements, replacements])

    # 5.C
    action = r["affirmative_action"]
    added = normal[:0]
    action_notes = []
    if action is not None:
        made = not (action["basis"] == "adverse_impact" and action.get("test_validated", False))
        if not made:
            action_notes = ["affirmative_action_not_made"]
        else:
            missing = [g for g in action["groups"] if not reg.members("groups", g)[normal].any()]
            places = set()
            unavailable = False
            for g in missing:
                hits = reg.members("groups", g)[not_normal]
                if hits.any():
                    places.add(int(np.argmax(hits)))
                else:
                    unavailable = True
            # In the method's order: the order of not_normal.
            added = not_normal[sorted(places)]
            if len(missing) < len(action["groups"]):
                action_notes.append("group_already_included")
            if unavailable:
                action_notes.append("group_unavailable")

    # 2.G
    extra = normal[:0]
    if r["extra_names"]:
        code = reg.agency_names.get_indexer([r["agency"]])[0]
        wanted = pool & ((reg.transfer & (reg.agency != code)) | reg.demote) & ~removed
        wanted[normal] = False
        wanted[added] = False
        extra = np.flatnonzero(wanted)  # score descending, id: the register's order

    rank_cites = np.where(kept_at < COMPLEMENT_SIZE, "2.B.1", np.where(kept_at < complement, "2.D", "2.B.2"))
    groups = [
        (kept, "rank", rank_cites),
        (removal_replacements, "replacement", "2.H"),
        (replacements, "replacement", "2.B.1"),
        (added, "affirmative_action", AFFIRMATIVE_CITE[action["basis"]] if action else ""),
        (extra, "extra_name", "2.G"),
    ]
    certified = []
    interested = 0
    for rows, basis, cites in groups:
        if not len(rows):
            continue
        flags = interested_row(rows).tolist()
        if basis != "extra_name":
            interested += sum(flags)
        cite_list = cites.tolist() if isinstance(cites, np.ndarray) else [cites] * len(rows)
        for id_, score, cite, flag, tier_ in zip(reg.id[rows].tolist(), reg.score[rows].tolist(), cite_list, flags,
                                                 tier[rows].tolist()):
            certified.append({"id": id_, "score": decimal(score), "basis": basis, "cite": cite, "interested": flag,
                              "tier": int(tier_)})
    complete = interested >= COMPLETE_MINIMUM

    notes = []
    if method == "open_competitive" or r["selective"]:
        notes.append("written_justification_approved")
    if not complete:
        notes += INCOMPLETE_OPTIONS
    if limit_waived:
        notes.append("referral_limit_waived")
    if len(extra):
        notes.append("extra_names_interviewed_together")
    if taken_off:
        notes.append("notify_removed_persons")
    notes += action_notes

    # 2.F: every name certified counts as a referral for the requisitions after this one.
    referrals[np.concatenate([normal, added, extra])] += 1

    certified_on = r["certified_on"] or r["received"]
    return {
        "requisition": r["id"],
        "method": method,
        "complement": complement,
        "certified": certified,
        "removed": list(r["removed"]),
        "interested": interested,
        "complete": complete,
        "selection_deadline": (certified_on + SELECTION_PERIOD).isoformat(),
        "interview_required": r["appointment"] != "acting",
        "selection_required": complete,
        "notes": notes,
    }


def check_requires(reg, requisitions):
    """The `require`s of the decision certify, in its order; the first that fails refuses the case."""
    if not requisitions:
        raise Refused("the case has no requisition (§ 2.E)")
    if not reg.position.is_unique:  # the hash table get_indexer needs anyway; duplicated() only to report
        shared = reg.df["id"].duplicated(keep=False).to_numpy()
        first = np.flatnonzero(shared)[np.argmin(reg.row[shared])]  # the first in the case file
        raise Refused(f'register.candidates[{reg.row[first]}].id: "{reg.id[first]}" is the id of more than '
                      f"one person on the register; ids must be unique (§ 2)")
    for i, r in enumerate(requisitions):
        if r["vacancies"] < 1:
            raise Refused(
                f"requisitions[{i}].vacancies: expected at least 1 vacancy, found {r['vacancies']} (§ 2.D)")
    for field, cite in (("declined", "2.B.1"), ("removed", "2.H")):
        for i, r in enumerate(requisitions):
            keys = list(r[field])
            unknown = np.flatnonzero(reg.position.get_indexer(keys) < 0) if keys else []
            if len(unknown):
                raise Refused(
                    f'requisitions[{i}].{field}: "{keys[unknown[0]]}" is not on the register (§ {cite})')


def certify(df, register_grade, requisitions):
    """The decision certify: the requisitions in the order received (2.E), each seeing the referrals the
    earlier ones made (2.F)."""
    reg = Register(df, register_grade)
    check_requires(reg, requisitions)
    referrals = reg.df["concurrent_referrals"].to_numpy().copy()
    in_order = sorted(requisitions, key=lambda r: r["received"])  # stable, as the rules' sort
    return [certify_one(reg, r, referrals) for r in in_order]


def main(argv):
    if len(argv) != 2 or argv[1].startswith("-"):
        print("usage: pandas_certify.py CASE.json", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        start = time.perf_counter()
        df, register_grade, requisitions = read_case(path)
        read_done = time.perf_counter()
        answer = certify(df, register_grade, requisitions)
        compute_done = time.perf_counter()
    except Refused as e:
        print(f"{path}: error: {e}", file=sys.stderr)
        return e.status
    except (OSError, ValueError) as e:
        print(f"{path}: error: {e}", file=sys.stderr)
        return 1
    sys.stdout.write(json.dumps(answer, indent=2) + "\n")
    for stage, seconds in (("read", read_done - start), ("compute", compute_done - read_done)):
        print(f"pandas: {stage:<8} {seconds * 1000:10.3f} ms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
