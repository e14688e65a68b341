#!/usr/bin/python3
# End to end: a terms revision from the team's server asks again, at start,
# offline, before anything else. The notice is written into the app's file
# as a sync would have kept it (the UI test notices-window brings one from a
# real server into a running window); the app then starts with no server.
# It shows the revision's text in the terms window before the main window;
# Agree by keys records the revision's version in the file; the next start
# does not ask again. A second revision declined by keys quits the app with
# status 0, and the data (a contact typed earlier, the first acceptance) is
# all still there.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import sqlite3
import sys

from crmtest import (SKIP, MAIN_TITLE, TERMS_TITLE, accept_terms, dogtail_ready, entry_text,
                     find_window, first_use, focus_window, log, new_work_dir, query, start_app,
                     terms_versions, visible, wait_exit, wait_for, xdotool, xdotool_ready)

APP = os.environ.get("XIAOHE_CRM", "xiaohe-crm")
CONTACT = "Zhou Notice"
REVISION_1 = ("n-2027-1", "Terms revision 2027", "Article 1. The revised terms, first edition.",
              "2027.1", "2026-11-29T08:00:00Z")
REVISION_2 = ("n-2027-2", "Terms revision 2027, second", "Article 1. The second revision.",
              "2027.2", "2026-11-30T08:00:00Z")


def start(data_dir):
    env = dict(os.environ, LANGUAGE="en", LC_ALL="C.UTF-8")
    return start_app([APP, "--data-dir", data_dir], env=env)


def keep_notice(db_path, notice):
    """A terms notice as crm_store_save_notices() keeps one after a sync."""
    nid, title, body, version, published = notice
    con = sqlite3.connect(db_path, timeout=5)
    try:
        with con:
            con.execute("INSERT INTO notices (id, kind, title, body, published_at, effective_at,"
                        " terms_version) VALUES (?, 'terms', ?, ?, ?, '2027-02-01', ?)",
                        (nid, title, body, published, version))
    finally:
        con.close()


def revision_asked(body):
    """The terms window is shown, the main window is not, and (when the
    accessibility tree can be read) the text is the revision's."""
    window = find_window(TERMS_TITLE["en"])
    assert not visible(MAIN_TITLE["en"]), "the main window came before the terms"
    if dogtail_ready():
        wait_for("the revision's text", lambda: body in (entry_text("Text of the terms") or ""))
    else:
        log("the accessibility tree cannot be read: the text is not checked")
    return window


def main():
    if not xdotool_ready():
        return SKIP

    parent, data_dir, db_path = new_work_dir("xiaohe-crm-notices-terms-")
    apps = []
    try:
        # the app used a first time: its terms accepted, a contact typed
        app = start(data_dir)
        apps.append(app)
        shipped = first_use(app, db_path, CONTACT)
        log("accepted at first", shipped)

        # a revision kept by a sync: asked at start, before the main window
        keep_notice(db_path, REVISION_1)
        app = start(data_dir)
        apps.append(app)
        revision_asked(REVISION_1[2])
        accept_terms("en")
        focus_window(MAIN_TITLE["en"])
        log("accepted", terms_versions(db_path))
        assert terms_versions(db_path) == shipped + ["2027.1"]
        xdotool("key", "ctrl+q")
        wait_exit(app)

        # accepted: the next start goes straight to the main window
        app = start(data_dir)
        apps.append(app)
        focus_window(MAIN_TITLE["en"])
        assert not visible(TERMS_TITLE["en"]), "the accepted revision was asked again"
        xdotool("key", "ctrl+q")
        wait_exit(app)

        # a second revision declined: the app quits, the data stays
        keep_notice(db_path, REVISION_2)
        app = start(data_dir)
        apps.append(app)
        window = revision_asked(REVISION_2[2])
        xdotool("windowfocus", "--sync", window)
        xdotool("key", "alt+d")
        wait_exit(app)
        assert not visible(MAIN_TITLE["en"])
        assert query(db_path, "SELECT 1 FROM contacts WHERE name = '%s'" % CONTACT), \
            "the contact is gone"
        assert terms_versions(db_path) == shipped + ["2027.1"], terms_versions(db_path)
        assert len(query(db_path, "SELECT id FROM notices")) == 2
    finally:
        for app in apps:
            if app.poll() is None:
                app.kill()
                app.wait()
        shutil.rmtree(parent, ignore_errors=True)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
