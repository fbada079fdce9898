"""`python3 -m labrun` (from lab/) is `lab/replay`."""

import sys
from pathlib import Path

# The `--8<--` grammar labrun shares with the site's hooks is at the repository's root.
sys.path.append(str(Path(__file__).resolve().parents[2]))

from labrun.cli import main  # noqa: E402 - needs the path set just above

sys.exit(main())
