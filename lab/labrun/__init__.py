"""labrun: replays the article's shell transcripts in a throwaway network sandbox.

Standard library only, so `lab/replay` runs on a fresh Ubuntu VM as well as under pytest.
The format of a transcript is described in lab/README.md.
"""
