#!/usr/bin/python3
# End to end: the automatic backup and a damaged file brought back, by keys.
# The app makes a verified backup a few seconds after start (there was none);
# then the file's first page is overwritten (not a database any more). At the
# next start the app says the file is damaged, offers the most recent backup,
# and Alt+R restores it: the contact typed before is back, a banner says what
# happened, and the damaged file is kept aside with its date, byte for byte.
# Then the Backups window (main menu, by keys) makes a copy with Back Up Now,
# and an older copy is restored from its list while the app runs. First, a
# backup that fails is shown at the top of the window.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import glob
import hashlib
import json
import os
import shutil

from crmtest import (SKIP, MAIN_TITLE, add_contact_by_keys, dogtail_ready, focus_window, log,
                     new_work_dir, open_app, query, quit_app, start_app_a11y, stop_app, tree_node,
                     wait_for, xdotool)


def backups(data_dir):
    """The verified backups: copies with their description."""
    return sorted(p for p in glob.glob(os.path.join(data_dir, "backups", "*.sqlite3"))
                  if os.path.exists(p[:-len(".sqlite3")] + ".json"))


def failed_backup(work):
    """A backup folder that cannot be made (a file has its name): the automatic
    backup fails, and the window says so, with the reason."""
    data_dir = os.path.join(work, "failing")
    os.makedirs(data_dir)
    with open(os.path.join(data_dir, "backups"), "w") as f:
        f.write("not a folder")
    app, _ = open_app(data_dir)
    try:
        banner = wait_for("the message about the failed backup", lambda: tree_node(
            lambda x: x.name == "The Backup Failed"), timeout=30)
        log("found", banner.roleName, repr(banner.name), repr(banner.description))
        assert "backup folder" in banner.description, banner.description
        quit_app(app)
    finally:
        stop_app(app)


def first_run(data_dir, db_path):
    """A contact typed, then the automatic backup waited for."""
    app, _ = open_app(data_dir)
    try:
        add_contact_by_keys("Wang Wu")
        wait_for("the contact saved",
                 lambda: query(db_path, "SELECT name FROM contacts") == [("Wang Wu",)])
        copies = wait_for("the automatic backup", lambda: backups(data_dir), timeout=30)
        with open(copies[0][:-len(".sqlite3")] + ".json") as f:
            described = json.load(f)
        log("backup", copies[0], described)
        assert described["counts"]["contacts"] == 1, described
        assert described["reason"] is None, described
        quit_app(app)
    finally:
        stop_app(app)


def damaged_start(data_dir, db_path):
    with open(db_path, "r+b") as f:
        f.write(os.urandom(4096))
    damaged = hashlib.sha256(open(db_path, "rb").read()).hexdigest()

    app = start_app_a11y(data_dir)
    try:
        heading = wait_for("the dialog about the damaged file",
                           lambda: tree_node(lambda x: x.name == "Your Data File Is Damaged"))
        log("found", heading.roleName, repr(heading.name))
        assert tree_node(lambda x: "most recent backup" in (x.name or "")), \
            "the backup is not offered"
        focus_window(MAIN_TITLE["en"])
        xdotool("key", "alt+r")
        focus_window(MAIN_TITLE["en"])
        banner = wait_for("the message about the restore",
                          lambda: tree_node(lambda x: x.name == "Your Data Was Restored"))
        log("found", banner.roleName, repr(banner.name), repr(banner.description))
        wait_for("the contact back",
                 lambda: query(db_path, "SELECT name FROM contacts") == [("Wang Wu",)])
        aside = glob.glob(db_path + ".damaged-*")
        aside = [p for p in aside if not p.endswith(("-wal", "-shm"))]
        assert len(aside) == 1, os.listdir(data_dir)
        assert hashlib.sha256(open(aside[0], "rb").read()).hexdigest() == damaged
        assert os.path.basename(aside[0]) in banner.description, banner.description
        return app
    except BaseException:
        stop_app(app)
        raise


def all_nodes(predicate):
    """Every node of the app's AT-SPI tree that predicate accepts."""
    from dogtail.tree import root
    return root.application("xiaohe-crm").findChildren(predicate)


def back_up_now_and_restore(app, data_dir, db_path):
    """A second contact; the main menu (F10), Backups…, Back Up Now: one more
    copy. Then the oldest copy (the automatic one, Wang Wu alone) restored
    from the list while the app runs: Li Si is gone, and kept in the
    "before restore" copy."""
    add_contact_by_keys("Li Si")
    wait_for("the second contact saved",
             lambda: len(query(db_path, "SELECT name FROM contacts")) == 2)
    before = len(backups(data_dir))
    xdotool("key", "F10")
    wait_for("the Backups item", lambda: tree_node(
        lambda x: (x.name or "").replace("_", "") == "Backups…"))
    xdotool("key", "b")
    wait_for("the Backups window", lambda: tree_node(lambda x: x.name == "Back Up Now"))
    focus_window("Backups")
    xdotool("key", "alt+b")
    wait_for("a new backup", lambda: len(backups(data_dir)) > before, timeout=30)
    assert any(p.endswith("-manual.sqlite3") for p in backups(data_dir)), backups(data_dir)
    wait_for("the new backup listed", lambda: len(all_nodes(
        lambda x: x.roleName == "push button"
        and (x.name or "").startswith("Restore the Backup of"))) == before + 1)

    restore = all_nodes(lambda x: x.roleName == "push button"
                        and (x.name or "").startswith("Restore the Backup of"))
    restore[-1].doActionNamed("click")
    wait_for("the question", lambda: tree_node(lambda x: x.name == "Restore This Backup?"))
    focus_window("Backups")
    xdotool("key", "alt+r")
    focus_window(MAIN_TITLE["en"])
    wait_for("the message about the restore", lambda: tree_node(
        lambda x: x.name == "Your Data Was Restored"
        and "before-restore" in (x.description or "")))
    wait_for("the older data back",
             lambda: query(db_path, "SELECT name FROM contacts") == [("Wang Wu",)])
    kept = [p for p in backups(data_dir) if "-before-restore" in p]
    assert len(kept) == 1, backups(data_dir)
    with open(kept[0][:-len(".sqlite3")] + ".json") as f:
        assert json.load(f)["counts"]["contacts"] == 2
    quit_app(app)
    assert app.returncode == 0, app.returncode


def main():
    if not dogtail_ready():
        return SKIP
    work, data_dir, db_path = new_work_dir("xiaohe-crm-backup-")
    try:
        failed_backup(work)
        first_run(data_dir, db_path)
        app = damaged_start(data_dir, db_path)
        try:
            back_up_now_and_restore(app, data_dir, db_path)
        finally:
            stop_app(app)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
