#!/usr/bin/env python3
"""Runs notebooks headless through real Jupyter (nbclient) with the project's tslab kernel.

    JUPYTER_PATH=notebooks /usr/bin/python3 scripts/run-notebook.py notebooks/01-what-is-mmm.ipynb [...]

Prints one line per notebook and exits 1 if any cell raised. The executed copies are not written back:
committed notebooks stay output-free, generated from their chapters.
"""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("JUPYTER_PATH", os.path.join(root, "notebooks"))

failed = 0
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=900, kernel_name="mmm-tslab", resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    try:
        client.execute()
        outputs = sum(len(c.get("outputs", [])) for c in nb.cells if c.cell_type == "code")
        print(f"ok {path}: {sum(c.cell_type == 'code' for c in nb.cells)} cells, {outputs} outputs")
    except CellExecutionError as err:
        failed += 1
        print(f"FAILED {path}:\n{err}")
sys.exit(1 if failed else 0)
