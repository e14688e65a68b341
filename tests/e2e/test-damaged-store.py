#!/usr/bin/python3
# End to end: a damaged data file. The last page of the file is overwritten
# (nothing the window reads at start notices it): the background check finds
# it and the window says so at its top, by an accessible name; a contact
# typed then is refused, stays in the form as typed, and the file's bytes do
# not change. Then the file is emptied to 0 bytes: the app says so at start
# and quits by default, the empty file kept; "Start with an Empty Database"
# sets it aside and starts afresh.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import hashlib
import os
import shutil
import tempfile

from crmtest import (SKIP, MAIN_TITLE, accept_terms, add_contact_by_keys, dogtail_ready,
                     focus_window, log, open_app, quit_app, start_app_a11y, stop_app, tree_node,
                     wait_for, xdotool)

PAGE = 4096
NOTICE = "The Data File Is Damaged"


def entry_text(name):
    node = tree_node(lambda x: x.roleName == "text" and x.name == name)
    if node is None:
        return None
    text = node.queryText()
    return text.getText(0, text.characterCount)


def checksum(db_path):
    """The database file and its WAL, where a write would land."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        try:
            with open(db_path + suffix, "rb") as f:
                digest.update(f.read())
        except FileNotFoundError:
            pass
        digest.update(b"|")
    return digest.hexdigest()


def damaged_file(data_dir, db_path):
    # a store with a contact, made by the app and closed
    app, _ = open_app(data_dir)
    try:
        add_contact_by_keys("Wang Wu")
        wait_for("the contact saved",
                 lambda: os.path.exists(db_path) and os.path.getsize(db_path) > 0)
        quit_app(app)
    finally:
        stop_app(app)

    size = os.path.getsize(db_path)
    assert size % PAGE == 0 and size > PAGE, size
    with open(db_path, "r+b") as f:
        f.seek(size - PAGE)
        f.write(os.urandom(PAGE))
    before = checksum(db_path)

    app = start_app_a11y(data_dir)
    try:
        focus_window(MAIN_TITLE["en"])
        notice = wait_for("the message about the damaged file",
                          lambda: tree_node(lambda x: x.name == NOTICE))
        log("found", notice.roleName, repr(notice.name), repr(notice.description))
        assert db_path in notice.description, notice.description

        # a new contact: refused, and still there as typed
        xdotool("key", "ctrl+n")
        xdotool("type", "--delay", "20", "Zhao Liu")
        wait_for("the name typed", lambda: entry_text("Name") == "Zhao Liu")
        xdotool("key", "ctrl+Return")
        wait_for("the refusal", lambda: tree_node(
            lambda x: "nothing more will be saved" in (x.name or "")))
        assert entry_text("Name") == "Zhao Liu", entry_text("Name")
        assert checksum(db_path) == before, "the damaged file was written to"
    finally:
        stop_app(app)
    assert checksum(db_path) == before, "the damaged file changed on exit"


def emptied_file(data_dir, db_path):
    for suffix in ("-wal", "-shm"):
        if os.path.exists(db_path + suffix):
            os.unlink(db_path + suffix)
    open(db_path, "wb").close()

    app = start_app_a11y(data_dir)
    try:
        heading = wait_for("the dialog about the empty file",
                           lambda: tree_node(lambda x: x.name == "Your Data File Is Empty"))
        log("found", heading.roleName, repr(heading.name))
        assert tree_node(lambda x: db_path in (x.name or "")), "the path is not shown"
        buttons = []
        tree_node(lambda x: x.roleName == "push button" and buttons.append(x.name))
        # libadwaita 1.2 names a response button "_Label Label"
        assert any(b.endswith("Start with an Empty Database") for b in buttons), buttons
        # Quit is the default: Return quits and keeps the file
        focus_window(MAIN_TITLE["en"])
        xdotool("key", "Return")
        wait_for("the app to quit", lambda: app.poll() is not None)
    finally:
        stop_app(app)
    assert os.path.getsize(db_path) == 0
    # nothing new beside the kept file (the writer lock's file holds nothing)
    # the lock, and the automatic backups of the first run (crm-backup-controller.c)
    kept = sorted(n for n in os.listdir(data_dir) if n not in ("xiaohe-crm.lock", "backups"))
    assert kept == ["xiaohe-crm.in-use", "xiaohe-crm.sqlite3"], os.listdir(data_dir)


def start_empty(data_dir, db_path):
    """The explicit choice: the empty file is set aside, and a first start
    follows (the terms, then a new database)."""
    app = start_app_a11y(data_dir)
    try:
        button = wait_for("the choice of an empty database", lambda: tree_node(
            lambda x: x.roleName == "push button"
            and x.name.endswith("Start with an Empty Database")))
        button.doActionNamed("click")
        accept_terms("en")
        focus_window(MAIN_TITLE["en"])
        wait_for("a new database", lambda: os.path.getsize(db_path) > 0)
        aside = [n for n in os.listdir(data_dir) if n.startswith("xiaohe-crm.sqlite3.empty-")]
        assert len(aside) == 1, os.listdir(data_dir)
        assert os.path.getsize(os.path.join(data_dir, aside[0])) == 0
        assert tree_node(lambda x: x.name == NOTICE) is None
        quit_app(app)
        assert app.returncode == 0, app.returncode
    finally:
        stop_app(app)


def main():
    if not dogtail_ready():
        return SKIP

    data_dir = tempfile.mkdtemp(prefix="xiaohe-crm-damaged-")
    db_path = os.path.join(data_dir, "xiaohe-crm.sqlite3")
    try:
        damaged_file(data_dir, db_path)
        emptied_file(data_dir, db_path)
        start_empty(data_dir, db_path)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
