"""`threatwatch db upgrade` and `threatwatch db status` through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from threatwatch.cli import main


def test_db_cli_status_then_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    before = runner.invoke(main, ["db", "status", "--database-url", url])
    assert before.exit_code == 0, before.output
    assert "1 pending" in before.output
    assert "threatwatch db upgrade" in before.output
    upgraded = runner.invoke(main, ["db", "upgrade", "--database-url", url])
    assert upgraded.exit_code == 0, upgraded.output
    assert "is at revision 0001" in upgraded.output
    after = runner.invoke(main, ["db", "status", "--database-url", url])
    assert after.exit_code == 0, after.output
    assert "up to date" in after.output
    assert "documents:  0" in after.output


def test_db_cli_reads_the_url_from_the_environment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    runner = CliRunner(env={"THREATWATCH_DATABASE_URL": url})
    from threatwatch.settings import get_settings

    get_settings.cache_clear()
    try:
        result = runner.invoke(main, ["db", "upgrade"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env.db").exists()


def test_db_cli_unreachable_database_is_one_line_exit_1(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'x.db'}"
    result = CliRunner().invoke(main, ["db", "status", "--database-url", url])
    assert result.exit_code == 1
    assert "unable to open database file" in result.output
    assert "Traceback" not in result.output


def test_db_cli_commands_have_help() -> None:
    for command in ("upgrade", "status", "revision"):
        result = CliRunner().invoke(main, ["db", command, "--help"])
        assert result.exit_code == 0
        assert len(result.output.splitlines()) > 3
