"""Runs one CNI plugin the way a runtime does, inside a test sandbox; prints what happened.

python3 cnirun.py PLUGIN < request.json, where the request is {"env": {...}, "stdin": "..."}.
Prints {"status", "stdout", "stderr"} as JSON: the tests need stdout and stderr apart (the
sandbox's shell merges them), because the spec puts results and errors on stdout only.
"""

import json
import subprocess
import sys

request = json.load(sys.stdin)
done = subprocess.run(
    [sys.argv[1]],
    input=request["stdin"].encode(),
    capture_output=True,
    env=request["env"],
    check=False,
    timeout=30,
)
json.dump(
    {
        "status": done.returncode,
        "stdout": done.stdout.decode(errors="replace"),
        "stderr": done.stderr.decode(errors="replace"),
    },
    sys.stdout,
)
