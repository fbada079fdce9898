"""`python3 -m labrun` is `lab/replay`."""

import sys

from labrun.cli import main

sys.exit(main())
