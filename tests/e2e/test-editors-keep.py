#!/usr/bin/python3
# End to end, with real keys: what was typed into an editor is saved or the
# person is asked, never dropped; the keys the README promises work from
# inside the editors; every view has its main menu on F10.
#
#   draft     Ctrl+3, a company name, Ctrl+1, Ctrl+Q, start again: the name is
#             in the database file and in the form
#   invalid   a wrong code cannot be saved: Ctrl+1 and the window's close
#             button ask; Keep Editing keeps it, Discard closes
#   menus     F10 opens the main menu in the Contacts, Deals and Certification
#             views
#   contact   Escape on a filled new contact asks, and Keep Editing keeps it
#             (saved after)
#   delete    Ctrl+Delete in the open contact (the cursor in its name)
#             deletes the contact
#   close     a new contact with a wrong mobile number cannot be saved:
#             Ctrl+Q asks, Keep Editing (Escape) keeps the app and the text;
#             the window's close button asks again, Discard quits
#
# Each part can be run alone: test-editors-keep.py [part ...]. Every wait is
# for a condition, with a deadline.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import sys

from crmtest import (SKIP, app_running, click, entry_text, focus_window, keys, log, new_work_dir,
                     query, type_text, visible, wait_closed, wait_exit, wait_for, xdotool,
                     xdotool_ready)

MAIN = "Xiaohe CRM"
DISCARD = r"Discard the Changes\?"   # a pattern: the ? escaped
MENU = "xiaohe-crm"     # a popover is a window of its own, named after the program


def quit_app(app):
    keys("ctrl+q")
    wait_exit(app)


def running(data_dir, db_path):
    """The app in a with block, on a first start only if the data folder is new."""
    return app_running(data_dir, first_start=not os.path.exists(db_path))


def keep_editing():
    """Answers "Discard the Changes?" with Keep Editing, the default (Escape)."""
    focus_window(DISCARD)
    keys("Escape")
    wait_closed(DISCARD)


def close_discards(app, window):
    """The window's close button asks the same; Discard quits."""
    xdotool("windowfocus", "--sync", window)
    assert click("Close"), "no close button"
    focus_window(DISCARD)
    keys("alt+d")
    wait_exit(app)


def new_contact():
    """Wang Wu of Acme typed into a new contact, not saved."""
    keys("ctrl+1", "ctrl+n")
    type_text("Wang Wu")
    keys("Tab")
    type_text("Acme")


def certification(db_path):
    return query(db_path, "SELECT company_name, uscc, status FROM certification")


def part_draft(data_dir, db_path):
    with app_running(data_dir) as (app, window):
        keys("ctrl+3")
        type_text("Xiaohe Draft Co")
        keys("ctrl+1", "ctrl+q")
        wait_exit(app)
    rows = certification(db_path)
    log("after quit", rows)
    assert rows == [("Xiaohe Draft Co", "", "draft")], rows

    with app_running(data_dir, first_start=False) as (app, window):
        keys("ctrl+3")
        wait_for("the draft in the form", lambda: entry_text("Company name") == "Xiaohe Draft Co")
        quit_app(app)


def part_invalid(data_dir, db_path):
    with running(data_dir, db_path) as (app, window):
        keys("ctrl+3", "alt+u")
        type_text("9111000060003734IL")    # I is no USCC character: cannot be saved
        keys("ctrl+1")
        keep_editing()
        assert entry_text("Unified social credit code") == "9111000060003734IL"
        close_discards(app, window)
    rows = certification(db_path)
    log("after discard", rows)
    assert rows == [], rows         # nothing half-saved


def part_menus(data_dir, db_path):
    with running(data_dir, db_path) as (app, window):
        for view in ("ctrl+1", "ctrl+2", "ctrl+3"):
            xdotool("windowfocus", "--sync", window)
            keys(view, "F10")
            wait_for("the main menu after %s, F10" % view, lambda: visible(MENU))
            keys("Escape")
            wait_closed(MENU)
            log("main menu in", view)
        quit_app(app)


def contacts(db_path):
    return query(db_path, "SELECT name, company, deleted FROM contacts ORDER BY name")


def part_contact(data_dir, db_path):
    with running(data_dir, db_path) as (app, window):
        new_contact()
        keys("Escape")
        keep_editing()
        xdotool("windowfocus", "--sync", window)
        keys("ctrl+Return")
        wait_for("the kept contact saved",
                 lambda: contacts(db_path) == [("Wang Wu", "Acme", 0)])
        quit_app(app)


def part_delete(data_dir, db_path):
    with running(data_dir, db_path) as (app, window):
        new_contact()
        keys("ctrl+Return")
        wait_for("the contact saved", lambda: contacts(db_path) == [("Wang Wu", "Acme", 0)])

        # open it from the list (the cursor lands in its name), Ctrl+Delete
        keys("Home", "Return")
        wait_for("the contact open", lambda: entry_text("Name") == "Wang Wu")
        keys("ctrl+Delete")
        wait_for("the contact deleted", lambda: contacts(db_path) == [("Wang Wu", "Acme", 1)])
        quit_app(app)


def part_close(data_dir, db_path):
    with running(data_dir, db_path) as (app, window):
        keys("ctrl+1", "ctrl+n")
        type_text("Wang Wu")
        keys("alt+m")
        type_text("12")                    # too short: cannot be saved
        keys("ctrl+q")
        keep_editing()
        assert app.poll() is None, "the app quit on Keep Editing"
        wait_for("the typed contact kept",
                 lambda: entry_text("Name") == "Wang Wu" and entry_text("Mobile") == "12")
        close_discards(app, window)
    rows = contacts(db_path)
    log("after discard", rows)
    assert rows == [], rows         # nothing half-saved


PARTS = {
    "draft": part_draft,
    "invalid": part_invalid,
    "menus": part_menus,
    "contact": part_contact,
    "delete": part_delete,
    "close": part_close,
}


def main():
    if not xdotool_ready():
        return SKIP

    names = sys.argv[1:] or list(PARTS)
    for name in names:
        work, data_dir, db_path = new_work_dir("xiaohe-crm-editors-")
        log("part", name)
        PARTS[name](data_dir, db_path)
        shutil.rmtree(work)
    print("%d passed, 0 failed" % len(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
