"""Summarise py-spy raw (collapsed) stacks: where a server's sampled time goes.

    python bench/profile_summary.py bench/results/pyspy-sqlite-create-c1.txt

Prints: a breakdown into request phases (auth, validation, the service's steps, SQL, commit,
serialisation, framework), then the top functions by inclusive and by self time.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path


def _fn(*names: str) -> str:
    """Regex for frames "Class.func (file:line)" / "func (file)" whose function is one of names."""
    return r"(^|[.>])(" + "|".join(re.escape(n) for n in names) + r") \("


# (label, regex on any frame "function (file)"); the first phase matching a stack (searched
# in this order) gets its samples
PHASES = [
    ("auth: token lookup (current_context/user_for_token)", _fn("current_context")),
    ("a batch's new orders: numbers and INSERT (_store_orders)", _fn("_store_orders")),
    ("audit.record (head lock, hash, insert, head update)", r"(^|\.)record \(bihuan/audit"),
    ("create_order: links/refs checks", _fn("_check_links", "_check_refs")),
    ("create_order: INSERT work_orders (flush)", r"(^|\.)add \(bihuan/workorders/repository"),
    ("create_order: other", _fn("create_order")),
    ("transition: access_order (load)", _fn("access_order")),
    ("transition: guards/confirmation_kinds", _fn("_guard_context", "check_transition_request")),
    ("transition: CAS update", _fn("compare_and_set")),
    ("transition: refresh", _fn("refresh")),
    ("detail()/available_actions", _fn("detail", "available_actions")),
    ("transition: other", r"(^|\.)transition \(bihuan"),
    ("read: list_orders", _fn("list_orders")),
    ("SQLite writer queue (WriterQueue.acquire: waiting for the previous writer)",
     _fn("WriterQueue.acquire", "acquire") + r"bihuan/db"),
    ("commit / session close (session_scope)", _fn("session_scope", "_scope", "get_session")),
    ("response: validation + serialisation", _fn(
        "model_validate", "serialize_response", "_prepare_response_content", "dump_json",
        "jsonable_encoder", "_serialize_response")),
    ("request: body parse + validation", _fn("request_body_to_args", "get_body", "body",
                                             "_validate_value_with_model_field")),
    ("FastAPI dependency solving (other)", _fn("solve_dependencies")),
    ("threadpool handoff (anyio/starlette)", _fn("run_sync", "run_in_threadpool",
                                                 "run_sync_in_worker_thread")),
    ("event loop: uvicorn, HTTP parsing, routing", r"(uvicorn|asyncio/|httptools)"),
]
LEAF = [
    ("  …of which SQLite BEGIN IMMEDIATE (waiting for the write lock)", _fn("_sqlite_begin")),
    ("  …of which COMMIT", _fn("do_commit")),
    ("  …of which in the DB driver (execute)", _fn("do_execute", "do_executemany")),
]


def _frames(stack: str) -> list[str]:
    return [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]


def summarise(path: str | Path, top: int = 30) -> str:
    stacks: Counter[tuple[str, ...]] = Counter()
    for line in Path(path).read_text(errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if stack and n.isdigit():
            stacks[tuple(_frames(stack))] += int(n)
    idle_re = re.compile(_fn("Condition.wait", "wait") + "threading")
    idle = sum(n for fr, n in stacks.items() if any(idle_re.search(f) for f in fr))
    stacks = Counter({fr: n for fr, n in stacks.items() if not any(idle_re.search(f) for f in fr)})
    total = sum(stacks.values()) or 1
    incl: Counter[str] = Counter()
    selfc: Counter[str] = Counter()
    phase: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    for frames, n in stacks.items():
        for f in set(frames):
            incl[f] += n
        selfc[frames[-1]] += n
        label = "other"
        for lab, pat in PHASES:
            if any(re.search(pat, f) for f in frames):
                label = lab
                break
        if label == "other" and re.search(r"(anyio/|queue\.py|threading\.py)", frames[-1]):
            label = "threadpool handoff (anyio/starlette)"  # worker loop, queue, wake-ups
        phase[label] += n
        for lab, pat in LEAF:
            if any(re.search(pat, f) for f in frames):
                leaf[(label, lab)] += n
                break
    out = [f"samples: {total} counted, {idle} dropped (worker threads idle in the threadpool "
           "queue). Waits inside C calls (SQLite's busy handler, socket I/O, uvloop) still "
           "count unless the profile was taken with --gil.", "",
           "## by phase (share of sampled time)"]
    for lab, _ in [*PHASES, ("other", "")]:
        shown = lab if lab != "other" else "other (routing, misc.; some py-spy stacks are cut)"
        if phase[lab]:
            out.append(f"{100 * phase[lab] / total:6.1f}%  {shown}")
            for (pl, ll), n in leaf.items():
                if pl == lab:
                    out.append(f"{100 * n / total:6.1f}%  {ll}")
    out += ["", "## top functions, inclusive"]
    out += [f"{100 * v / total:6.1f}%  {k}" for k, v in incl.most_common(top)]
    out += ["", "## top functions, self"]
    out += [f"{100 * v / total:6.1f}%  {k}" for k, v in selfc.most_common(top)]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(summarise(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 30))
