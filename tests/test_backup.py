"""Backups: `manage.py backup` writes the database (and the media) with a manifest, and
`manage.py restore` into an empty database gives the same site."""

import json
import sqlite3
import subprocess
import sys
import urllib.request
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests import factories
from tests.servers import ROOT, gunicorn, site_environment

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def content():
    """A question with an answer, a comment and a vote: committed, for pg_dump to see."""
    question = factories.question(title="How do I keep a backup of the forum?")
    answer = factories.answer(question, body="Run the backup command every night, then restore it.")
    factories.comment(answer, body="And try restoring it now and then.")
    factories.vote(answer)
    return question


def manage(*arguments, database_url):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=site_environment(DATABASE_URL=database_url),
        capture_output=True,
        text=True,
    )


def page(database_url, path):
    """`path` as a gunicorn serving the database at `database_url` answers it."""
    with (
        gunicorn(env=site_environment(DATABASE_URL=database_url)) as port,
        urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response,
    ):
        return response.read().decode()


@pytest.fixture
def restored_database_url(tmp_path):
    """A new, empty database of the engine the tests run on; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"stapel_restored_{uuid.uuid4().hex[:8]}"
    settings = connection.settings_dict
    server = ["-h", settings["HOST"], "-p", str(settings["PORT"]), "-U", settings["USER"]]
    subprocess.run(["createdb", *server, name], check=True)
    try:
        yield f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}"
    finally:
        subprocess.run(["dropdb", "--force", *server, name], check=True)


def test_a_backup_restored_into_an_empty_database_serves_the_same_site(
    content, tmp_path, restored_database_url
):
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())

    restored = manage("restore", str(folder), database_url=restored_database_url)

    assert restored.returncode == 0, restored.stderr
    counted = manage(
        "shell",
        "-c",
        "from questions.models import Post, Comment, Vote; "
        "print(Post.objects.count(), Comment.objects.count(), Vote.objects.count())",
        database_url=restored_database_url,
    )
    assert counted.stdout.split()[-3:] == [
        str(manifest["counts"][label])
        for label in ["questions.Post", "questions.Comment", "questions.Vote"]
    ]
    assert manifest["counts"]["questions.Post"] == 2
    thread = page(restored_database_url, content.get_absolute_url())
    assert "How do I keep a backup of the forum?" in thread
    assert "Run the backup command every night" in thread
    assert "And try restoring it now and then." in thread


def test_the_manifest_says_when_what_engine_and_which_migrations(content, tmp_path):
    call_command("backup", str(tmp_path / "backup"))

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["created"]
    assert manifest["migrations"]["questions"].startswith("00")
    assert manifest["counts"]["accounts.User"] >= 1


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_on_sqlite_the_backup_is_a_copy_of_the_database_file(content, tmp_path):
    call_command("backup", str(tmp_path / "backup"))

    copy = sqlite3.connect(tmp_path / "backup" / "database.sqlite3")
    try:
        assert copy.execute("SELECT title FROM questions_post WHERE title != ''").fetchall() == [
            ("How do I keep a backup of the forum?",)
        ]
    finally:
        copy.close()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_on_postgresql_the_backup_is_a_custom_format_dump(content, tmp_path):
    call_command("backup", str(tmp_path / "backup"))

    listing = subprocess.run(
        ["pg_restore", "--list", str(tmp_path / "backup" / "database.dump")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "TABLE DATA public questions_post" in listing.stdout


def test_a_restore_refuses_a_database_that_is_not_empty(content, tmp_path):
    call_command("backup", str(tmp_path / "backup"))

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "backup"))


def test_a_backup_refuses_a_folder_that_holds_files(db, tmp_path):
    (tmp_path / "old.txt").write_text("yesterday's")

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path))
