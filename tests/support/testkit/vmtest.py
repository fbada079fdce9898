"""A recorder for the Vagrantfile: what it configures, evaluated by Ruby without Vagrant."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from testkit.policy import require_tool

# Evaluates a Vagrantfile without Vagrant: every call on `config` is recorded as
# [dotted path, positional args, keyword args]; attribute writes as [path, value].
RECORDER_RB = r"""
require "json"
class Recorder
  def initialize(path, log)
    @path, @log = path, log
  end

  def method_missing(name, *args, **kwargs, &block)
    key = "#{@path}.#{name}"
    if name.to_s.end_with?("=")
      @log << [key.chomp("="), args[0]]
      return args[0]
    end
    @log << [key, args, kwargs.transform_keys(&:to_s)]
    child = Recorder.new(key, @log)
    block.call(child) if block
    child
  end

  def respond_to_missing?(*) = true
end

module Vagrant
  LOG = []
  def self.configure(_version)
    yield Recorder.new("config", LOG)
  end
end

load ARGV.fetch(0)
puts JSON.generate(Vagrant::LOG)
"""


def reader_environment() -> dict[str, str]:
    """This environment without the Vagrantfile's knobs, as a reader who set none has it."""
    return {name: value for name, value in os.environ.items() if name != "LAB_BRIDGE"}


def record_vagrantfile(vagrantfile: Path, env: dict[str, str] | None = None) -> list[list]:
    """What the Vagrantfile configures with env set, as recorded calls (see RECORDER_RB)."""
    ruby = require_tool("ruby", "ruby")
    result = subprocess.run(
        [ruby, "-e", RECORDER_RB, str(vagrantfile)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**reader_environment(), **(env or {})},
    )
    return json.loads(result.stdout)
