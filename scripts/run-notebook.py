#!/usr/bin/env python3
"""Runs notebooks headless through real Jupyter (nbclient) with the project's tslab kernel.

    JUPYTER_PATH=$PWD/notebooks /usr/bin/python3 scripts/run-notebook.py notebooks/01-what-is-mmm.ipynb [...]

Prints one line per notebook and exits 1 if any cell raised. The executed copies are not written back:
committed notebooks stay output-free, generated from their chapters.

    /usr/bin/python3 scripts/run-notebook.py --report out.json notebook.ipynb

runs one notebook and writes the same report as scripts/run-chapter.mjs
({ ok, cells: [{ index, ok, ms, outputs }], failure }), so that the test suite can execute every chapter
through Jupyter itself (in CI) and the site shows what Jupyter printed. Exit 0 even when a cell fails
(the caller reads `ok`); exit 2 if the runner itself broke.
"""
import json
import os
import sys
from datetime import datetime

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("JUPYTER_PATH", os.path.join(root, "notebooks"))


def client_for(nb, path):
    return NotebookClient(
        nb,
        timeout=900,
        kernel_name="mmm-tslab",
        record_timing=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )


def milliseconds(cell):
    timing = cell.get("metadata", {}).get("execution", {})
    # tslab replies before it goes idle; busy to idle is the time the kernel spent on the cell.
    start, end = timing.get("iopub.status.busy"), timing.get("iopub.status.idle")
    if not start or not end:
        return 0
    parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
    return round((parse(end) - parse(start)).total_seconds() * 1000)


def convert(output):
    """One Jupyter output as run-chapter.mjs records it."""
    kind = output.get("output_type")
    if kind == "stream":
        return {"type": "stream", "name": output.get("name", "stdout"), "text": output.get("text", "")}
    if kind in ("display_data", "execute_result"):
        return {"type": "display", "data": dict(output.get("data", {}))}
    if kind == "error":
        text = output.get("ename", "Error") + ": " + output.get("evalue", "")
        return {"type": "stream", "name": "stderr", "text": text + "\n"}
    return None


def report(path, out):
    nb = nbformat.read(path, as_version=4)
    failure = None
    try:
        client_for(nb, path).execute()
    except CellExecutionError as err:
        failure = str(err)
    cells = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    for index, cell in enumerate(code):
        outputs = [o for o in (convert(x) for x in cell.get("outputs", [])) if o is not None]
        # Merge consecutive pieces of the same stream, as run-chapter.mjs does.
        merged = []
        for o in outputs:
            if merged and o["type"] == "stream" and merged[-1]["type"] == "stream" and merged[-1]["name"] == o["name"]:
                merged[-1]["text"] += o["text"]
            else:
                merged.append(o)
        errored = any(x.get("output_type") == "error" for x in cell.get("outputs", []))
        ran = cell.get("execution_count") is not None
        cells.append({"index": index, "ok": ran and not errored, "ms": milliseconds(cell), "outputs": merged})
        if errored or (failure is not None and not ran):
            break
    first_bad = next((c for c in cells if not c["ok"]), None)
    result = {"runner": "jupyter", "ok": failure is None and first_bad is None, "cells": cells, "failure": None}
    if not result["ok"]:
        index = first_bad["index"] if first_bad else len(cells) - 1
        source = "".join(code[index].source) if 0 <= index < len(code) else ""
        message = "".join(o.get("text", "") for o in (first_bad or {"outputs": []})["outputs"] if o.get("name") == "stderr")
        result["failure"] = {"cell": index, "message": (message.strip() or failure or "the cell failed without a message"), "source": source}
    with open(out, "w") as f:
        json.dump(result, f)


if len(sys.argv) >= 4 and sys.argv[1] == "--report":
    try:
        report(sys.argv[3], sys.argv[2])
    except Exception as err:  # the runner itself broke (no kernel, unreadable notebook)
        print(f"run-notebook: {err!r}", file=sys.stderr)
        sys.exit(2)
    sys.exit(0)

failed = 0
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    try:
        client_for(nb, path).execute()
        outputs = sum(len(c.get("outputs", [])) for c in nb.cells if c.cell_type == "code")
        print(f"ok {path}: {sum(c.cell_type == 'code' for c in nb.cells)} cells, {outputs} outputs")
    except CellExecutionError as err:
        failed += 1
        print(f"FAILED {path}:\n{err}")
sys.exit(1 if failed else 0)
