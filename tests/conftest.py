import os
import sys
from pathlib import Path

# tests/ helpers (scoring, goldenlib) are imported by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Processes the tests start import the tree under test: Python 3.11's forkserver ignores the
# parent's sys.path, so a worker server started while a test is in another directory would
# import any other installed copy of extract (an editable install of another checkout).
_ROOT = str(Path(__file__).resolve().parent.parent)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)
