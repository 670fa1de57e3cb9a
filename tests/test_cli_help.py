"""Every command and option is documented; --help is the docstring."""

from __future__ import annotations

import click
import pytest

from extract import cli


def _commands() -> list[tuple[str, click.Command]]:
    return [("zhenggai", cli.cli)] + sorted(cli.cli.commands.items())


@pytest.mark.parametrize("name, command", _commands())
def test_command_and_every_option_is_documented(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"{name} has no docstring"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help and param.help.strip(), f"{name} {param.opts} has no help"


@pytest.mark.parametrize("argv", [["--help"], ["extract", "--help"], ["report", "--help"]])
def test_help_exits_0_and_shows_the_docstring(argv: list[str],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    command = cli.cli if len(argv) == 1 else cli.cli.commands[argv[0]]
    assert command.help is not None
    assert command.help.strip().splitlines()[0].strip() in out
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.opts[-1] in out


def test_contract_options_exist() -> None:
    extract = cli.cli.commands["extract"]
    opts = {o for p in extract.params for o in getattr(p, "opts", [])}
    contract = {"--out", "--as-of", "--workers", "--format", "--strict"}
    mine = {"--timeout", "--max-size", "--cache", "--no-cache", "--quiet", "--verbose",
            "--executor", "--scheduler", "--headers"}
    assert contract | mine <= opts
