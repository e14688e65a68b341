#!/usr/bin/python3
# End to end: the contact list by last follow-up, and "not followed up for
# N days", by keys only in the real xiaohe-crm under the test session's X
# display. Two contacts are added; the second gets a follow-up (Shift+Ctrl+F).
# Shift+Ctrl+O opens the sort menu, L sorts by last follow-up: the contact
# never followed up comes first and the rows say how long ago (read over
# AT-SPI, as a screen reader would). F then keeps only the contacts not
# followed up for 30 days. (That the order is kept in GSettings is
# tests/ui/test-contacts-sort.c's: the tests' settings live in memory.)
#
# Every wait is for a condition, with a deadline; none is a fixed sleep.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import shutil
import sys

from crmtest import (MAIN_TITLE, SKIP, accept_terms, add_contact_by_keys, dogtail_ready,
                     focus_window, keys, log, new_work_dir, query, start_app_a11y, stop_app,
                     tree_node, type_text, wait_closed, wait_for, xdotool, xdotool_ready)

FORM = "Log Follow-up"


def list_rows():
    """The texts of the contact list's rows, top to bottom, or None (an
    empty label reads as its class name)."""
    node = tree_node(lambda n: n.name == "Contact list")
    if node is None:
        return None
    try:
        return [n.name for n in node.findChildren(lambda x: x.roleName == "label"
                                                  and x.name not in ("", "GtkLabel"),
                                                  recursive=True)]
    except Exception:
        return None


def rows_are(expected):
    rows = list_rows()
    rows_are.last = rows
    return rows == expected and rows


def wait_rows(what, expected):
    """Waits for the list to show expected; says what it showed if not."""
    try:
        return wait_for(what, lambda: rows_are(expected))
    except AssertionError:
        log("the list shows", getattr(rows_are, "last", None))
        raise


def main():
    if not xdotool_ready() or not dogtail_ready():
        return SKIP

    work, data_dir, db_path = new_work_dir("xiaohe-crm-e2e-sort-")
    app = start_app_a11y(data_dir)
    try:
        accept_terms()
        window = focus_window(MAIN_TITLE["en"])
        keys("ctrl+1")
        add_contact_by_keys("Bob")
        wait_for("Bob", lambda: len(query(db_path, "SELECT id FROM contacts")) == 1)
        add_contact_by_keys("Aaron")
        wait_for("Aaron", lambda: len(query(db_path, "SELECT id FROM contacts")) == 2)

        # Aaron, shown after his save, followed up now
        keys("shift+ctrl+f")
        focus_window(FORM)
        type_text("Called about the offer")
        keys("ctrl+Return")
        wait_closed(FORM)
        wait_for("the follow-up", lambda: query(
            db_path, "SELECT c.name FROM contacts c WHERE c.last_followup_at IS NOT NULL")
            == [("Aaron",)])
        xdotool("windowfocus", "--sync", window)
        log("by name", wait_rows("the list by name", ["Aaron", "Bob"]))

        # by last follow-up: never first, each row saying how long ago
        keys("shift+ctrl+o")
        wait_for("the sort menu", lambda: tree_node(lambda n: n.name == "By Last Follow-up"))
        keys("l")
        log("by follow-up", wait_rows("the list by last follow-up",
                                      ["Bob", "Never followed up", "Aaron", "Followed up today"]))

        # only those not followed up for 30 days
        keys("shift+ctrl+o")
        wait_for("the sort menu", lambda: tree_node(
            lambda n: n.name == "Not Followed Up for 30 Days"))
        keys("f")
        log("filtered", wait_rows("the filter", ["Bob", "Never followed up"]))

        keys("ctrl+q")
        code = wait_for("the app to quit", lambda: app.poll() is not None and (app.returncode,))
        assert code == (0,), "exit status %r" % (code,)
    finally:
        stop_app(app)

    shutil.rmtree(work)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
