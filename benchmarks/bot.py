"""`python benchmarks/bot.py [--quick]`: the citizen bot load benchmark (see bot_load.py).

This file only launches: a module named `bot` here would shadow the `bot` package (for mypy,
and for imports once this directory is first on sys.path), so the code lives in bot_load.py.
"""

import sys
from pathlib import Path

# The repository root goes first so that `import bot` finds the package, not this file.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot_load import main

if __name__ == "__main__":
    main()
