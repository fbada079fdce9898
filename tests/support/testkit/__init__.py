"""The test suite's shared support, imported by every test folder one way: from `pythonpath`.

- `paths`: where the repository, lab/ and docs/ are;
- `policy`: skip where this machine cannot run a test, fail instead in CI (`CI=true`);
- `sandbox_probe`: the `sandbox_works` fixture, for tests that need a lab sandbox;
- `site_build` and `site_fixtures`: real `mkdocs build`s of a copy of the sources;
- `procfs`: what /proc/<pid>/stat says about a process.

The fixture modules are registered for the whole suite by tests/conftest.py.
"""
