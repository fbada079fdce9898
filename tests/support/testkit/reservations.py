"""Prints a host-local style IPAM directory as JSON: {ip file: exact content}; {} if absent."""

import json
import os
import sys

directory = sys.argv[1]
names = os.listdir(directory) if os.path.isdir(directory) else []
files = {}
for name in names:
    if name[0].isdigit() and not name.startswith("last_"):
        with open(os.path.join(directory, name), newline="") as file:
            files[name] = file.read()
print(json.dumps(files))
