"""Backups of the whole site: the database and the uploaded media, with a manifest.

A backup is a folder: `database.dump` (PostgreSQL's custom format, from pg_dump) or
`database.sqlite3` (SQLite's online backup), `media/` when MEDIA_ROOT is set, and
`manifest.json` (when, from which engine, the migrations applied, and the rows of the
main tables, counted in the same snapshot the dump was taken from). `restore` loads one
into an empty database and checks the counts against the manifest.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

# The tables whose rows the manifest counts: what a restore must bring back.
COUNTED_MODELS = [
    "accounts.User",
    "questions.Post",
    "questions.Comment",
    "questions.Vote",
    "questions.Tag",
    "questions.PostRevision",
    "questions.ReputationEvent",
    "moderation.Flag",
    "moderation.ModeratorAction",
    "notifications.Notification",
    "reviews.ReviewTask",
]
MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    pass


def _counts(using):
    return {
        label: apps.get_model(label).objects.using(using).count()
        for label in COUNTED_MODELS
        if apps.is_installed(label.split(".")[0])
    }


def _migrations(using):
    applied = MigrationRecorder(connections[using]).applied_migrations()
    latest = {}
    for app, name in sorted(applied):
        latest[app] = name
    return latest


def _postgres_environment(database):
    """pg_dump's and pg_restore's connection, from the Django settings (DATABASE_URL):
    through the environment, so that the password stays off the command line."""
    environment = {**os.environ}
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if database.get(key):
            environment[variable] = str(database[key])
    return environment


def _run(command, environment):
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup_write(*, folder, using=DEFAULT_DB_ALIAS):
    """Writes a backup into `folder` (made; it must be empty or new) and returns the manifest."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty.")
    folder.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    manifest = {"created": datetime.now(UTC).isoformat(), "engine": connection.vendor}
    if connection.vendor == "postgresql":
        # pg_dump reads in the snapshot this transaction exported: the counts and the dump
        # describe one moment, however many writes go on meanwhile.
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            manifest["migrations"] = _migrations(using)
            manifest["counts"] = _counts(using)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    f"--file={folder / POSTGRES_DUMP}",
                ],
                _postgres_environment(connection.settings_dict),
            )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / SQLITE_COPY)
        try:
            # SQLite's online backup copies one consistent state, pages locked as it goes.
            connection.connection.backup(target)
        finally:
            target.close()
        manifest["migrations"] = _migrations(using)
        manifest["counts"] = _counts(using)
    else:
        raise BackupError(f"No backup for {connection.vendor}.")
    if settings.MEDIA_ROOT and Path(settings.MEDIA_ROOT).is_dir():
        shutil.copytree(settings.MEDIA_ROOT, folder / "media")
        manifest["media"] = True
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def backup_restore(*, folder, using=DEFAULT_DB_ALIAS):
    """Loads the backup in `folder` into the database `using`, which must hold no tables,
    and returns (the manifest, the counts found after the restore)."""
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text())
    connection = connections[using]
    if connection.vendor != manifest["engine"]:
        raise BackupError(
            f"The backup is of {manifest['engine']}, the database is {connection.vendor}."
        )
    if connection.introspection.table_names():
        raise BackupError("The database is not empty: restore only into a new one.")
    if connection.vendor == "postgresql":
        connection.close()
        _run(
            [
                "pg_restore",
                "--exit-on-error",
                "--no-owner",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(folder / POSTGRES_DUMP),
            ],
            _postgres_environment(connection.settings_dict),
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(folder / SQLITE_COPY)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    if manifest.get("media"):
        shutil.copytree(folder / "media", settings.MEDIA_ROOT, dirs_exist_ok=True)
    return manifest, _counts(using)
